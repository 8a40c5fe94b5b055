import { Mutex } from "async-mutex";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { ApiError } from "@/lib/errors";

export interface UploadLimits {
  perClientPerMinute: number;
  globalPerMinute: number;
  /** Room for uploads no generation uses yet. */
  unusedMaxBytes: number;
}

/**
 * Uploads are free, so they do not take a generation's place; they get limits of their own:
 * a rate (each upload is decoded, so this bounds CPU) and a cap on the bytes held by uploads
 * no generation uses (read from the shared database, so it bounds the disk across instances).
 */
export interface UploadGuard {
  /** Counts an upload attempt; called before its body is read. */
  admitRequest(clientKey: string): Promise<void>;
  /** Runs `store` when `bytes` more of unused uploads fit; checks and store are serialised in this process. */
  withRoom<T>(bytes: number, store: () => Promise<T>): Promise<T>;
}

const GLOBAL_KEY = "all-clients";

export function createUploadGuard(limits: UploadLimits, unusedBytes: () => Promise<number>): UploadGuard {
  const perClient = new RateLimiterMemory({ points: limits.perClientPerMinute, duration: 60 });
  const global = new RateLimiterMemory({ points: limits.globalPerMinute, duration: 60 });
  const lock = new Mutex();

  async function consume(limiter: RateLimiterMemory, key: string, message: string) {
    try {
      await limiter.consume(key);
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      const seconds = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
      throw new ApiError("rate_limited", `${message} Try again in ${seconds} second${seconds === 1 ? "" : "s"}.`);
    }
  }

  return {
    async admitRequest(clientKey) {
      await consume(perClient, clientKey, `You can upload ${limits.perClientPerMinute} images a minute.`);
      await consume(global, GLOBAL_KEY, "This server is receiving too many uploads right now.");
    },
    withRoom: (bytes, store) =>
      lock.runExclusive(async () => {
        if ((await unusedBytes()) + bytes > limits.unusedMaxBytes) {
          throw new ApiError(
            "rate_limited",
            "Too many uploaded images are waiting to be used on this server. Start a generation from one you uploaded, or try again later.",
          );
        }
        return store();
      }),
  };
}
