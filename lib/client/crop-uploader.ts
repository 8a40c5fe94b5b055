import type { UploadView } from "@/lib/contracts/upload";
import { ApiRequestError } from "./api-request-error";
import type { UploadProgress } from "./upload-image";

/** One framing of one photo: `key` names it exactly, `encode` makes its upload. */
export interface Framing {
  key: string;
  encode: () => Promise<Blob>;
}

export type UploadState =
  | { phase: "idle" }
  /** The framing just changed: waiting for it to settle. */
  | { phase: "pending"; key: string }
  | { phase: "encoding"; key: string }
  | { phase: "uploading"; key: string; loaded: number; total: number }
  /** A try failed for a reason that may pass (network, 5xx, 429): the next one is due at `retryAt`. */
  | { phase: "retrying"; key: string; attempt: number; retryAt: number; message: string }
  | { phase: "ready"; key: string; upload: UploadView }
  /** This framing cannot be uploaded (the server refused it, or it cannot be encoded). */
  | { phase: "failed"; key: string; error: Error };

export interface CropUploaderOptions {
  upload: (image: Blob, options: { signal: AbortSignal; onProgress: (progress: UploadProgress) => void }) => Promise<UploadView>;
  /** Quiet time after the last framing change before the upload starts. */
  debounceMs?: number;
  /** Quiet time before the crop is encoded: shorter, so the encode is done by the time the upload may start. */
  encodeAfterMs?: number;
  /** Wait before each retry; the last one repeats. */
  retryDelaysMs?: readonly number[];
  /** A click waiting for the upload gives up (and shows why) after this many failed tries in a row. */
  triesWhileWaiting?: number;
  /** An upload this close to its expiry is made again rather than used. */
  expiryMarginMs?: number;
  now?: () => number;
}

/** Quiet time after the last pan, zoom or shape change before the crop is sent. */
export const UPLOAD_SETTLE_MS = 400;
/** The crop is encoded after a shorter pause, so the encode overlaps the rest of the settle. */
const ENCODE_SETTLE_MS = 150;

/** Only a refusal that will not change when sent again ends the retries. */
const isDefinitiveUploadRefusal = (error: unknown) =>
  error instanceof ApiRequestError && error.status >= 400 && error.status < 500 && error.status !== 408 && error.status !== 429;

interface Waiter {
  resolve: (upload: UploadView) => void;
  reject: (error: unknown) => void;
  failures: number;
  /** The framing this waiter was promised; none: whichever is on screen when it is ready. */
  key?: string;
}

/** The framing a click was made for is no longer the one on screen. */
export class FramingChangedError extends Error {
  constructor() {
    super("The framing changed after you pressed Generate; nothing was sent. Press Generate again for the new one.");
    this.name = "FramingChangedError";
  }
}

/**
 * Uploads the crop while the user writes: encodes and sends the current framing once it
 * has settled, aborts an upload whose framing has changed, retries a failed one with
 * backoff, and hands Generate the upload of exactly the framing on screen — never an
 * older one, whatever order the answers arrive in.
 */
export class CropUploader {
  private readonly options: Required<CropUploaderOptions>;
  private framing: Framing | null = null;
  /** Bumped by every framing change: work of an older round is stale and dropped. */
  private round = 0;
  private attempt = 0;
  private controller: AbortController | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private encodeTimer: ReturnType<typeof setTimeout> | null = null;
  /** The current round's encoded crop, made once and reused by every try. */
  private encoded: { round: number; image: Promise<Blob> } | null = null;
  private state: UploadState = { phase: "idle" };
  private readonly listeners = new Set<() => void>();
  private waiters: Waiter[] = [];

  constructor(options: CropUploaderOptions) {
    this.options = {
      debounceMs: UPLOAD_SETTLE_MS,
      encodeAfterMs: Math.min(ENCODE_SETTLE_MS, options.debounceMs ?? UPLOAD_SETTLE_MS),
      retryDelaysMs: [1000, 2000, 4000, 8000, 15000],
      triesWhileWaiting: 3,
      expiryMarginMs: 5 * 60_000,
      now: () => Date.now(),
      ...options,
    };
  }

  getState = (): UploadState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** The framing on screen changed (null: no photo, or not framed yet). The same key is no change. */
  setFraming(framing: Framing | null): void {
    if (framing?.key === this.framing?.key && this.state.phase !== "idle") return;
    this.cancelRound();
    this.framing = framing;
    // A click made for another framing must never receive this one's upload.
    const promised = this.waiters.filter((waiter) => waiter.key !== undefined && waiter.key !== framing?.key);
    this.waiters = this.waiters.filter((waiter) => !promised.includes(waiter));
    for (const waiter of promised) waiter.reject(new FramingChangedError());
    if (!framing) {
      this.set({ phase: "idle" });
      this.rejectWaiters(new Error("Add a portrait first."));
      return;
    }
    this.set({ phase: "pending", key: framing.key });
    const round = this.round;
    this.encodeTimer = setTimeout(() => void this.encodedImage(round, framing).catch(() => undefined), this.options.encodeAfterMs);
    this.timer = setTimeout(() => void this.run(round), this.options.debounceMs);
  }

  /** This round's crop, encoded once (early, while the framing settles, or when first needed). */
  private encodedImage(round: number, framing: Framing): Promise<Blob> {
    if (this.encoded?.round !== round) this.encoded = { round, image: framing.encode() };
    return this.encoded.image;
  }

  /** The framing on screen, named as `setFraming` was given it; null while there is none. */
  framingKey(): string | null {
    return this.framing?.key ?? null;
  }

  /**
   * The upload of the framing on screen when it is ready: at once if it already is,
   * else after starting it now (no debounce, no backoff wait). Without `key` it follows
   * framing changes made while waiting; with `key` (the framing a click was made for) it
   * rejects with FramingChangedError as soon as another framing replaces that one.
   * `signal` withdraws the wait.
   */
  ready(options: { key?: string; signal?: AbortSignal } = {}): Promise<UploadView> {
    const framing = this.framing;
    if (!framing) return Promise.reject(new Error("Add a portrait first."));
    if (options.key !== undefined && options.key !== framing.key) return Promise.reject(new FramingChangedError());
    if (options.signal?.aborted) return Promise.reject(options.signal.reason);
    const state = this.state;
    if (state.phase === "ready" && Date.parse(state.upload.expiresAt) - this.options.now() > this.options.expiryMarginMs) {
      return Promise.resolve(state.upload);
    }
    if (state.phase === "failed") return Promise.reject(state.error);
    const promise = new Promise<UploadView>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, failures: 0, key: options.key };
      this.waiters.push(waiter);
      options.signal?.addEventListener(
        "abort",
        () => {
          if (!this.waiters.includes(waiter)) return;
          this.waiters = this.waiters.filter((other) => other !== waiter);
          reject(options.signal?.reason);
        },
        { once: true },
      );
    });
    if (state.phase === "ready")
      this.restart(); // expired or about to
    else if (state.phase === "pending" || state.phase === "retrying") this.startNow();
    return promise;
  }

  /** The server no longer knows the ready upload (swept or lost): make it again. */
  invalidate(uploadId: string): void {
    if (this.state.phase === "ready" && this.state.upload.id === uploadId) this.restart();
  }

  dispose(): void {
    this.cancelRound();
    this.framing = null;
    this.rejectWaiters(new Error("The studio was closed."));
    this.listeners.clear();
  }

  private restart() {
    const framing = this.framing;
    this.cancelRound();
    if (!framing) return;
    this.set({ phase: "pending", key: framing.key });
    this.startNow();
  }

  private startNow() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    void this.run(this.round);
  }

  private cancelRound() {
    this.round += 1;
    this.attempt = 0;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.encodeTimer) clearTimeout(this.encodeTimer);
    this.encodeTimer = null;
    this.encoded = null;
    this.controller?.abort(new DOMException("The framing changed.", "AbortError"));
    this.controller = null;
  }

  private async run(round: number): Promise<void> {
    const framing = this.framing;
    if (round !== this.round || !framing) return;
    this.timer = null;
    const controller = new AbortController();
    this.controller = controller;
    const stale = () => round !== this.round;
    const { key } = framing;
    try {
      if (this.encoded?.round !== round) this.set({ phase: "encoding", key });
      let image: Blob;
      try {
        image = await this.encodedImage(round, framing);
      } catch (error) {
        if (stale()) return;
        // The crop itself is the problem: trying again cannot help.
        return this.fail(key, error instanceof Error ? error : new Error("The crop could not be encoded."));
      }
      if (stale()) return;
      this.set({ phase: "uploading", key, loaded: 0, total: image.size });
      const upload = await this.options.upload(image, {
        signal: controller.signal,
        onProgress: ({ loaded, total }) => {
          if (!stale()) this.set({ phase: "uploading", key, loaded, total });
        },
      });
      if (stale()) return;
      this.controller = null;
      this.set({ phase: "ready", key, upload });
      const waiters = this.waiters;
      this.waiters = [];
      for (const waiter of waiters) waiter.resolve(upload);
    } catch (error) {
      if (stale()) return;
      this.controller = null;
      if (isDefinitiveUploadRefusal(error)) return this.fail(key, error as Error);
      this.attempt += 1;
      const delays = this.options.retryDelaysMs;
      const delay = delays[Math.min(this.attempt - 1, delays.length - 1)] ?? 1000;
      const message = error instanceof Error ? error.message : "The upload failed.";
      for (const waiter of this.waiters) waiter.failures += 1;
      const givingUp = this.waiters.filter((waiter) => waiter.failures >= this.options.triesWhileWaiting);
      this.waiters = this.waiters.filter((waiter) => !givingUp.includes(waiter));
      for (const waiter of givingUp) waiter.reject(error);
      this.set({ phase: "retrying", key, attempt: this.attempt, retryAt: this.options.now() + delay, message });
      this.timer = setTimeout(() => void this.run(round), delay);
    }
  }

  private fail(key: string, error: Error) {
    this.set({ phase: "failed", key, error });
    this.rejectWaiters(error);
  }

  private rejectWaiters(error: unknown) {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter.reject(error);
  }

  private set(state: UploadState) {
    this.state = state;
    for (const listener of this.listeners) listener();
  }
}
