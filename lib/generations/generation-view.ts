import { isFinalStatus, type GenerationView } from "@/lib/contracts/generation";
import { isShareLinkLive } from "@/lib/share/share-link-state";
import type { GenerationRecord } from "./generation-record";

export interface ViewContext {
  /** Absolute origin for share links when configured; otherwise links are paths. */
  publicBaseUrl?: string;
  /** The clock share-link expiry is judged by (tests move it). */
  now?: () => Date;
}

export const videoPath = (id: string) => `/api/generations/${id}/video`;
export const posterPath = (id: string) => `/api/generations/${id}/poster`;
export const sharePath = (token: string) => `/s/${token}`;
export const sharedVideoPath = (token: string) => `/api/share/${token}/video`;
export const sharedPosterPath = (token: string) => `/api/share/${token}/poster`;

/** The public shape of a generation: no secrets, no provider links, only our own URLs. */
export function toGenerationView(record: GenerationRecord, context: ViewContext): GenerationView {
  const playable = record.status === "succeeded" && record.resultKey !== null;
  const shareLive = playable && isShareLinkLive(record, context.now?.() ?? new Date());
  return {
    id: record.id,
    status: record.status,
    progress: record.progress,
    prompt: record.prompt,
    options: {
      promptOptimizer: record.promptOptimizer,
      watermark: record.watermark,
      duration: 6,
      resolution: "720P",
    },
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    completedAt: record.completedAt,
    videoUrl: playable ? videoPath(record.id) : null,
    downloadUrl: playable ? `${videoPath(record.id)}?download=1` : null,
    posterUrl: posterPath(record.id),
    shareUrl: shareLive && record.shareToken ? `${context.publicBaseUrl ?? ""}${sharePath(record.shareToken)}` : null,
    shareExpiresAt: shareLive ? record.shareExpiresAt : null,
    hidePrompt: record.hidePrompt,
    cost: record.costUsd,
    error: record.status === "failed" ? { code: record.errorCode ?? "unknown", message: record.errorMessage ?? "The generation failed." } : null,
    notice: !isFinalStatus(record.status) && record.errorCode ? { code: record.errorCode, message: record.errorMessage ?? "" } : null,
    mode: record.mode,
  };
}
