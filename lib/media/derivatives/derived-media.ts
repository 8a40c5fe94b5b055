import "server-only";
import { loopFileName, type LoopStatus } from "@/lib/contracts/derived-media";
import { ApiError } from "@/lib/errors";
import type { GenerationRecord } from "@/lib/generations/generation-record";
import type { DerivativeRecord } from "./derivative-record";
import type { DerivativeService } from "./derivative-service";

export interface MediaToServe {
  key: string;
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
  if (record.status !== "succeeded" || !record.resultKey) throw new ApiError("not_ready", "The video is not ready yet.");
  if (want.download || !want.rendition) {
    // Queues the derivatives of results stored before they existed.
    await derivatives.readyKey(record, "poster");
    return { key: record.resultKey, final: true };
  }
  for (const kind of want.rendition === "light" ? (["light", "web"] as const) : (["web"] as const)) {
    const key = await derivatives.readyKey(record, kind);
    if (key) return { key, final: kind === want.rendition };
  }
  return { key: record.resultKey, final: false };
}

/** A frame of the video once made; until then (or while it is being made) the portrait it starts from. */
export async function posterImage(derivatives: DerivativeService, record: GenerationRecord): Promise<MediaToServe> {
  const frame = await derivatives.readyKey(record, "poster");
  return frame ? { key: frame, final: true } : { key: record.inputKey, final: false };
}

export function requirePlayable(record: GenerationRecord): void {
  if (record.status !== "succeeded" || !record.resultKey) throw new ApiError("not_ready", "The video is not ready yet.");
}

/** A loop job as the API shows it; `fileBase` is the folder its download sits under. */
export function toLoopStatus(job: DerivativeRecord, fileBase: string): LoopStatus {
  const format = job.kind === "gif" ? "gif" : "webp";
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

export const isLoop = (job: DerivativeRecord) => job.kind === "gif" || job.kind === "webp";

export const framePath = (id: string) => `/api/generations/${id}/frame`;
export const sharedFramePath = (token: string) => `/api/share/${token}/frame`;
export const loopsPath = (id: string) => `/api/generations/${id}/loops`;
export const sharedLoopsPath = (token: string) => `/api/share/${token}/loops`;

/** Cache headers: derived files under their URL never change; stand-ins are revalidated every time. */
export const cacheFor = (served: MediaToServe, shared: boolean) =>
  shared ? "public, no-cache" : served.final ? "private, max-age=31536000, immutable" : "private, no-cache";
