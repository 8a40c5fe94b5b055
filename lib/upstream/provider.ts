import type { AcceptedImageType } from "@/lib/contracts/image-rules";
import type { AppMode } from "@/lib/contracts/video-spec";

/**
 * What the rest of the app knows about a video provider. Wire formats stay inside each
 * provider's own module (lib/upstream/vtrix, lib/upstream/demo).
 */
export type TaskState = "queued" | "processing" | "succeeded" | "failed";

export interface TaskSnapshot {
  taskId: string;
  state: TaskState;
  /** 0..1 when the provider reports it. */
  progress: number | null;
  /** Provider result link (expires); set once state is "succeeded". */
  videoUrl: string | null;
  /** USD as a decimal string, exactly as reported. */
  costUsd: string | null;
  error: { code: string; message: string } | null;
  /** The provider's own status word, kept for logs when it is one we do not know. */
  providerStatus: string;
  recognisedStatus: boolean;
}

export interface CreateTaskRequest {
  /** The first frame as stored; each provider encodes it for its own wire format. */
  image: { bytes: Uint8Array; type: AcceptedImageType };
  prompt: string;
  promptOptimizer: boolean;
  watermark: boolean;
  callbackUrl?: string;
  /**
   * Runs once the request is fully built, right before it leaves; a rejection stops it and
   * is passed on. The tracker marks the generation as sent here, so no time is spent
   * building the request between that mark and the request leaving.
   */
  beforeSend?: () => Promise<void>;
}

export interface ResultDownload {
  body: ReadableStream<Uint8Array>;
  /** Declared length, if the server sent one. */
  contentLength: number | null;
}

export interface GenerationProvider {
  readonly mode: AppMode;
  createTask(request: CreateTaskRequest): Promise<TaskSnapshot>;
  getTask(taskId: string): Promise<TaskSnapshot>;
  /** Opens the result for download; only ever called with a URL this provider returned. */
  openResult(videoUrl: string): Promise<ResultDownload>;
  /**
   * The task id a notification (callback body) names, if it names one in a plausible
   * form. Unverified: the caller must read the task back with getTask before trusting it.
   */
  taskIdFromNotification(body: unknown): string | null;
}

export type UpstreamFailureKind =
  | "unauthorized"
  | "forbidden"
  | "rate_limited"
  | "rejected"
  | "not_found"
  | "server_error"
  | "timeout"
  | "network"
  | "bad_response"
  | "result_expired"
  | "result_invalid";

/**
 * A provider call that did not succeed. `userMessage` is safe to show; `taskMayExist`
 * tells the caller whether a create might have gone through (so must not be retried).
 */
export class UpstreamError extends Error {
  constructor(
    readonly kind: UpstreamFailureKind,
    readonly userMessage: string,
    readonly options: { httpStatus?: number; retryAfterMs?: number; taskMayExist: boolean },
  ) {
    super(`${kind}: ${userMessage}`);
    this.name = "UpstreamError";
  }

  get transient(): boolean {
    return ["rate_limited", "server_error", "timeout", "network", "bad_response"].includes(this.kind);
  }
}
