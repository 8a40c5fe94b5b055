import "server-only";
import type { AppMode } from "@/lib/contracts/video-spec";
import { ApiError, storageFull } from "@/lib/errors";
import { decodeDataUrl, prepareUploadImage } from "@/lib/images/prepare-upload-image";
import type { AdmissionGuard } from "@/lib/limits/admission-guard";
import { isStorageFull } from "@/lib/media/storage-full";
import type { GenerationTracker } from "@/lib/tracker/generation-tracker";
import type { UploadRecord } from "@/lib/uploads/upload-record";
import type { UploadService } from "@/lib/uploads/upload-service";
import { newGenerationRecord, type GenerationRecord } from "./generation-record";
import type { GenerationRepository } from "./generation-repository";
import { newCallbackSecret, newGenerationId, newShareToken } from "./ids";

export interface StartDeps {
  repository: Pick<GenerationRepository, "insert" | "insertSet">;
  uploads: Pick<UploadService, "store" | "usable" | "release">;
  tracker: Pick<GenerationTracker, "kick">;
  guard: AdmissionGuard;
  mode: AppMode;
  now?: () => Date;
}

export interface TakeOptions {
  prompt: string;
  promptOptimizer: boolean;
  watermark: boolean;
}

/** Where the portrait comes from: an upload by id, one already found usable (a re-run), or a data URL sent with the request. */
export type Portrait = { uploadId: string } | { upload: UploadRecord } | { image: string };

/** The portrait a create names: its upload, or (from scripts) the image itself. */
export function portraitFrom(input: { uploadId?: string; image?: string }): Portrait {
  if (input.uploadId !== undefined) return { uploadId: input.uploadId };
  if (input.image !== undefined) return { image: input.image };
  throw new ApiError("invalid_body", "Send uploadId or image.", "uploadId");
}

export interface StartRequest {
  portrait: Portrait;
  /** 1 to 4; one record each, in this order. */
  takes: readonly TakeOptions[];
  /** A take set (even of one take), or a single generation. */
  asSet: boolean;
  idempotencyKey?: string;
  clientKey: string;
  /** The first answer given under an idempotency key, if any. */
  replay(idempotencyKey: string): Promise<Started | undefined>;
}

export interface Started {
  /** The take set, or null for a single generation. */
  setId: string | null;
  records: GenerationRecord[];
  /** False for a replay: the first answer, nothing started. */
  created: boolean;
}

export const MAX_TAKES = 4;

/**
 * The one way generations start, alone or as a set: a replay returns the first answer
 * (before any image work); the portrait is stored only once admitted (limits, queue room,
 * budget, all takes together); the records are inserted; a failure after admission
 * releases the stored portrait; each new generation goes to the tracker.
 */
export function createGenerationStarter(deps: StartDeps) {
  const now = deps.now ?? (() => new Date());

  /** One record per take, a millisecond apart so the queue starts them in the order asked. */
  function recordsFor(upload: UploadRecord, request: StartRequest, startedAt: Date): GenerationRecord[] {
    return request.takes.map((take, index) =>
      newGenerationRecord({
        id: newGenerationId(),
        shareToken: newShareToken(),
        mode: deps.mode,
        prompt: take.prompt,
        promptOptimizer: take.promptOptimizer,
        watermark: take.watermark,
        inputKey: upload.mediaKey,
        inputWidth: upload.width,
        inputHeight: upload.height,
        uploadId: upload.id,
        callbackSecret: newCallbackSecret(),
        // A set holds the key itself; its takes hold none.
        idempotencyKey: request.asSet ? null : (request.idempotencyKey ?? null),
        createdAt: new Date(startedAt.getTime() + index).toISOString(),
      }),
    );
  }

  async function insert(upload: UploadRecord, request: StartRequest): Promise<Started> {
    const startedAt = now();
    const records = recordsFor(upload, request, startedAt);
    let started: Started;
    try {
      if (request.asSet) {
        const set = { id: newGenerationId(), uploadId: upload.id, idempotencyKey: request.idempotencyKey ?? null, createdAt: startedAt.toISOString() };
        started = await deps.repository.insertSet(set, records);
      } else {
        const { record, created } = await deps.repository.insert(records[0]!);
        started = { setId: null, records: [record], created };
      }
    } catch (error) {
      // The upload was swept between our look and the insert: the foreign key refused it, and this says so.
      if (!isStorageFull(error)) await deps.uploads.usable(upload.id);
      throw isStorageFull(error) ? storageFull() : error;
    }
    if (started.created) for (const record of started.records) deps.tracker.kick(record.id);
    return started;
  }

  /** Stores a sent image as an upload (only once admitted); gives it back when this request does not use it. */
  async function insertWithNewUpload(image: Awaited<ReturnType<typeof prepareUploadImage>>, request: StartRequest): Promise<Started> {
    const upload = await deps.uploads.store(image);
    // Not recorded (e.g. the database is full), or lost a race with the same idempotency key
    // (the other request's generations stand): this request's upload is not needed.
    const started = await insert(upload, request).catch(async (error: unknown) => {
      await deps.uploads.release(upload.id).catch(() => undefined);
      throw error;
    });
    if (!started.created) await deps.uploads.release(upload.id);
    return started;
  }

  return {
    async start(request: StartRequest): Promise<Started> {
      if (request.takes.length < 1 || request.takes.length > MAX_TAKES) throw new Error(`between 1 and ${MAX_TAKES} takes start together`);
      // A replay (double click, retry after a dropped connection) skips the image work.
      const replayed = request.idempotencyKey ? await request.replay(request.idempotencyKey) : undefined;
      if (replayed) return replayed;
      const admit = (create: () => Promise<Started>) => deps.guard.admit(request.clientKey, create, request.takes.length);
      const { portrait } = request;
      if ("upload" in portrait) return admit(() => insert(portrait.upload, request));
      if ("uploadId" in portrait) {
        const upload = await deps.uploads.usable(portrait.uploadId);
        return admit(() => insert(upload, request));
      }
      if (!("image" in portrait)) throw new ApiError("invalid_body", "Send uploadId or image.", "uploadId");
      // Scripts may still send a data URL: it becomes an upload like any other, stored only once admitted.
      const image = await prepareUploadImage(decodeDataUrl(portrait.image), {
        beforeDecode: () => deps.guard.precheck(request.clientKey, request.takes.length),
      });
      return admit(() => insertWithNewUpload(image, request));
    },
  };
}

export type GenerationStarter = ReturnType<typeof createGenerationStarter>;
