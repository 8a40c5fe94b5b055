import { generationViewSchema, isFinalStatus, type GenerationView } from "@/lib/contracts/generation";
import { downloadPath, inputPath, sharePath, videoPath } from "@/lib/contracts/paths";
import { VIDEO_SPEC } from "@/lib/contracts/video-spec";
import { isShareLinkLive } from "./share-link-state";
import type { GenerationRecord } from "./generation-record";

export interface ViewContext {
  /** Absolute origin for share links when configured; otherwise links are paths. */
  publicBaseUrl?: string;
  /** The clock share-link expiry is judged by (tests move it). */
  now?: () => Date;
}

/** Fields the API shows exactly as the record keeps them; every other field is computed below. */
const PASSED_THROUGH = ["id", "status", "progress", "prompt", "createdAt", "updatedAt", "completedAt", "hidePrompt", "mode"] as const;

/** The API's fields in the contract's order, so the JSON answer keeps one stable order. */
const VIEW_FIELDS = Object.keys(generationViewSchema.shape) as (keyof GenerationView)[];

type Computed = Omit<GenerationView, (typeof PASSED_THROUGH)[number]>;

/** The public shape of a generation from its record alone (what other sources add: present-generations.ts). */
export function toGenerationView(record: GenerationRecord, context: ViewContext): GenerationView {
  const playable = record.status === "succeeded" && record.resultKey !== null;
  const shareLive = playable && isShareLinkLive(record, context.now?.() ?? new Date());
  const computed: Computed = {
    options: {
      promptOptimizer: record.promptOptimizer,
      watermark: record.watermark,
      duration: VIDEO_SPEC.durationSeconds,
      resolution: VIDEO_SPEC.resolution,
    },
    videoUrl: playable ? videoPath(record.id) : null,
    downloadUrl: playable ? downloadPath(record.id) : null,
    // A failed generation loses its upload when the sweep removes the portrait.
    inputUrl: record.status === "failed" && record.uploadId === null ? null : inputPath(record.id),
    shareUrl: shareLive && record.shareToken ? `${context.publicBaseUrl ?? ""}${sharePath(record.shareToken)}` : null,
    shareExpiresAt: shareLive ? record.shareExpiresAt : null,
    cost: record.costUsd,
    error: record.status === "failed" ? { code: record.errorCode ?? "unknown", message: record.errorMessage ?? "The generation failed." } : null,
    notice: !isFinalStatus(record.status) && record.errorCode ? { code: record.errorCode, message: record.errorMessage ?? "" } : null,
  };
  return inContractOrder({ ...pick(record, PASSED_THROUGH), ...computed });
}

/** The view's fields in the contract's order, so every answer has one stable shape. */
export function inContractOrder(view: GenerationView): GenerationView {
  return Object.fromEntries(VIEW_FIELDS.map((field) => [field, view[field]])) as GenerationView;
}

function pick<T, K extends keyof T>(from: T, keys: readonly K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((key) => [key, from[key]])) as Pick<T, K>;
}
