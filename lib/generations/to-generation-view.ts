import { isFinalStatus, type GenerationView } from "@/lib/contracts/generation";
import { VIDEO_SPEC } from "@/lib/contracts/video-spec";
import type { GenerationRecord } from "./generation-record";

export interface ViewContext {
  /** Absolute origin for share links when configured; otherwise links are paths. */
  publicBaseUrl?: string;
}

export const videoPath = (id: string) => `/api/generations/${id}/video`;
const posterPath = (id: string) => `/api/generations/${id}/poster`;
const sharePath = (token: string) => `/s/${token}`;
export const sharedVideoPath = (token: string) => `/api/share/${token}/video`;
export const sharedPosterPath = (token: string) => `/api/share/${token}/poster`;

/** The public shape of a generation: no secrets, no provider links, only our own URLs. */
export function toGenerationView(record: GenerationRecord, context: ViewContext): GenerationView {
  const playable = record.status === "succeeded" && record.resultKey !== null;
  return {
    id: record.id,
    status: record.status,
    progress: record.progress,
    prompt: record.prompt,
    options: {
      promptOptimizer: record.promptOptimizer,
      watermark: record.watermark,
      duration: VIDEO_SPEC.durationSeconds,
      resolution: VIDEO_SPEC.resolution,
    },
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    completedAt: record.completedAt,
    videoUrl: playable ? videoPath(record.id) : null,
    downloadUrl: playable ? `${videoPath(record.id)}?download=1` : null,
    posterUrl: posterPath(record.id),
    shareUrl: playable && record.shareToken ? `${context.publicBaseUrl ?? ""}${sharePath(record.shareToken)}` : null,
    hidePrompt: record.hidePrompt,
    cost: record.costUsd,
    error: record.status === "failed" ? { code: record.errorCode ?? "unknown", message: record.errorMessage ?? "The generation failed." } : null,
    notice: !isFinalStatus(record.status) && record.errorCode ? { code: record.errorCode, message: record.errorMessage ?? "" } : null,
    mode: record.mode,
  };
}
