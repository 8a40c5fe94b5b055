import type { Coordination } from "@/lib/coordination/coordination";
import { createProcessCoordination } from "@/lib/coordination/process-coordination";
import { perMinuteLimit } from "@/lib/limits/per-minute-limit";
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
  /** Counts an upload attempt and refuses it when unused uploads fill their room; called before its body is read. */
  admitRequest(clientKey: string): Promise<void>;
  /** Refuses when unused uploads fill their room already (counts nothing): checked again right before the decode. */
  checkRoom(): Promise<void>;
  /** Runs `store` when `bytes` more of unused uploads fit; checks and store are serialised across instances. */
  withRoom<T>(bytes: number, store: () => Promise<T>): Promise<T>;
}

const GLOBAL_KEY = "all-clients";

export function createUploadGuard(
  limits: UploadLimits,
  unusedBytes: () => Promise<number>,
  coordination: Coordination = createProcessCoordination(),
): UploadGuard {
  const perClient = perMinuteLimit(coordination, "upload-client", limits.perClientPerMinute);
  const global = perMinuteLimit(coordination, "upload-all", limits.globalPerMinute);

  const refuseUnlessRoomFor = async (bytes: number) => {
    if ((await unusedBytes()) + bytes > limits.unusedMaxBytes) {
      throw new ApiError(
        "rate_limited",
        "Too many uploaded images are waiting to be used on this server. Start a generation from one you uploaded, or try again later.",
      );
    }
  };
  // Any upload adds at least a byte: a full room refuses before the body is read or decoded.
  const checkRoom = () => refuseUnlessRoomFor(1);

  return {
    async admitRequest(clientKey) {
      await perClient.consume(clientKey, `You can upload ${limits.perClientPerMinute} images a minute.`);
      await global.consume(GLOBAL_KEY, "This server is receiving too many uploads right now.");
      await checkRoom();
    },
    checkRoom,
    withRoom: (bytes, store) =>
      coordination.exclusive("uploads", async () => {
        await refuseUnlessRoomFor(bytes);
        return store();
      }),
  };
}
