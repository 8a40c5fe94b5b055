import { VIDEO_SPEC } from "@/lib/contracts/video-spec";
import type { CreateTaskRequest, TaskSnapshot, TaskState } from "@/lib/upstream/provider";
import { messageForTaskError, normaliseErrorCode } from "./error-messages";
import { VTRIX_MODEL, type WireCreateBody, type WireTask } from "./wire";

/** Reshapes between our types and the gateway's: the create envelope out, the task object in. */

const STATUS_MAP: Record<string, TaskState> = {
  pending: "queued",
  queued: "queued",
  in_queue: "queued",
  submitted: "queued",
  processing: "processing",
  in_progress: "processing",
  running: "processing",
  completed: "succeeded",
  done: "succeeded",
  succeeded: "succeeded",
  success: "succeeded",
  failed: "failed",
  failure: "failed",
  error: "failed",
};

function reshapeStatus(status: string): { state: TaskState; recognised: boolean } {
  const state = STATUS_MAP[status.trim().toLowerCase()];
  // Unknown words are treated as "still in flight"; the tracker's deadline bounds them.
  return state ? { state, recognised: true } : { state: "processing", recognised: false };
}

function reshapeProgress(progress: WireTask["progress"]): number | null {
  if (progress === null || progress === undefined || progress === "") return null;
  const value = typeof progress === "number" ? progress : Number(progress);
  if (!Number.isFinite(value) || value < 0) return null;
  // Some gateways report percent instead of a fraction.
  const fraction = value > 1 ? value / 100 : value;
  return Math.min(1, fraction);
}

function extractVideoUrl(output: WireTask["output"]): string | null {
  if (!output) return null;
  const holders = Array.isArray(output) ? output : [output];
  const items = holders.flatMap((holder) => holder.content ?? []);
  const video = items.find((item) => item.type === "video" && item.url) ?? items.find((item) => item.url);
  return video?.url ?? null;
}

function reshapeCost(usage: WireTask["usage"]): string | null {
  const cost = usage?.cost;
  if (cost === null || cost === undefined) return null;
  const text = typeof cost === "number" ? String(cost) : cost.trim();
  return /^\d+(\.\d+)?$/.test(text) ? text : null;
}

function reshapeError(error: WireTask["error"]): { code: string; message: string } | null {
  if (error === null || error === undefined) return null;
  if (typeof error === "string") {
    return { code: "provider_error", message: messageForTaskError("", error) };
  }
  const code = normaliseErrorCode(error.code) || "provider_error";
  const providerMessage = error.error_message ?? error.message ?? null;
  return { code, message: messageForTaskError(code, providerMessage) };
}

export function reshapeTask(task: WireTask): TaskSnapshot {
  const { state, recognised } = reshapeStatus(task.status);
  const videoUrl = extractVideoUrl(task.output);
  const snapshot: TaskSnapshot = {
    taskId: task.id,
    state,
    progress: state === "succeeded" ? 1 : reshapeProgress(task.progress),
    videoUrl: state === "succeeded" ? videoUrl : null,
    costUsd: reshapeCost(task.usage),
    error: state === "failed" ? (reshapeError(task.error) ?? { code: "provider_error", message: messageForTaskError("", null) }) : null,
    providerStatus: task.status,
    recognisedStatus: recognised,
  };
  if (state === "succeeded" && !videoUrl) {
    return {
      ...snapshot,
      state: "failed",
      progress: null,
      error: { code: "no_result", message: "The provider reported success but sent no video link." },
    };
  }
  return snapshot;
}

/** The gateway takes the first frame inline, as a data URL. */
function toDataUrl(image: CreateTaskRequest["image"]): string {
  const base64 = Buffer.from(image.bytes.buffer, image.bytes.byteOffset, image.bytes.byteLength).toString("base64");
  return `data:${image.type};base64,${base64}`;
}

export function toCreateBody(request: CreateTaskRequest): WireCreateBody {
  return {
    model: VTRIX_MODEL,
    input: [
      {
        params: {
          first_frame_image: toDataUrl(request.image),
          ...(request.prompt ? { prompt: request.prompt } : {}),
          duration: VIDEO_SPEC.durationSeconds,
          resolution: VIDEO_SPEC.resolution,
          prompt_optimizer: request.promptOptimizer,
          aigc_watermark: request.watermark,
          ...(request.callbackUrl ? { callback_url: request.callbackUrl } : {}),
        },
      },
    ],
  };
}
