import "server-only";
import { isLoopFormat, LOOP_FORMATS, loopFileName, type LoopStatus } from "@/lib/contracts/derived-media";
import { ApiError } from "@/lib/errors";
import type { GenerationRecord } from "@/lib/generations/generation-record";
import { CONTENT_TYPE } from "./derivative-keys";
import type { DerivativeRecord } from "./derivative-record";
import type { DerivativeService } from "./derivative-service";

export interface MediaToServe {
  key: string;
  contentType: string;
  /** A derived file never changes once made; a stand-in will be replaced by one, so it is revalidated. */
  final: boolean;
}

/**
 * The video to play. Without a rendition it is the provider's file as stored, always (so a
 * player in the middle of it never sees another file under its URL); pages link
 * `?rendition=web` (index first) and `?rendition=light` only once those are made. Downloads
 * always get the provider's file, byte for byte.
 */
export async function playableVideo(
  derivatives: DerivativeService,
  record: GenerationRecord,
  want: { rendition?: "web" | "light"; download: boolean },
): Promise<MediaToServe> {
  requirePlayable(record);
  if (want.download || !want.rendition) {
    // Queues the derivatives of results stored before they existed.
    await derivatives.readyKey(record, "frame");
    return { key: record.resultKey, final: true, contentType: "video/mp4" };
  }
  for (const kind of want.rendition === "light" ? (["light", "web"] as const) : (["web"] as const)) {
    const key = await derivatives.readyKey(record, kind);
    if (key) return { key, final: kind === want.rendition, contentType: "video/mp4" };
  }
  return { key: record.resultKey, final: false, contentType: "video/mp4" };
}

/**
 * A frame of the video once made: `small` is the preview pages show first, `full` the frame at
 * the video's size (unfurlers' image). Until made, the next best: the full frame, then the portrait.
 */
export async function frameImage(derivatives: DerivativeService, record: GenerationRecord, size: "full" | "small" = "full"): Promise<MediaToServe> {
  if (size === "small") {
    const preview = await derivatives.readyKey(record, "preview");
    if (preview) return { key: preview, final: true, contentType: CONTENT_TYPE.preview };
  }
  const frame = await derivatives.readyKey(record, "frame");
  if (frame) return { key: frame, final: size === "full", contentType: CONTENT_TYPE.frame };
  return { key: record.inputKey, final: false, contentType: "image/jpeg" };
}

export function requirePlayable(record: GenerationRecord): asserts record is GenerationRecord & { resultKey: string } {
  if (record.status !== "succeeded" || !record.resultKey) throw new ApiError("not_ready", "The video is not ready yet.");
}

/** A loop job as the API shows it; `fileBase` is the folder its download sits under. */
export function toLoopStatus(job: DerivativeRecord, fileBase: string): LoopStatus {
  const format = isLoopFormat(job.kind) ? job.kind : LOOP_FORMATS[0];
  return {
    format,
    pingPong: job.pingPong,
    state: job.state,
    progress: job.progress,
    url: job.state === "ready" ? `${fileBase}/${loopFileName(format, job.pingPong)}` : null,
    bytes: job.bytes,
    width: job.width,
    height: job.height,
    error: job.state === "failed" ? (job.error ?? "The loop could not be made.") : null,
  };
}

export const isLoop = (job: DerivativeRecord) => isLoopFormat(job.kind);
