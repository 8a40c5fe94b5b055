import "server-only";
import { formatDuration } from "@/lib/contracts/format-duration";
import { ApiError, storageFull, storageUnavailable } from "@/lib/errors";
import { newUploadId } from "@/lib/generations/ids";
import { prepareUploadImage, type PreparedImage } from "@/lib/images/prepare-upload-image";
import { inputKeyFor, type MediaStore } from "@/lib/media/media-store";
import { isStorageFull } from "@/lib/media/storage-full";
import type { UploadGuard } from "./upload-guard";
import type { ExpiryCutoff, UploadRecord, UploadRepository } from "./upload-record";

export interface UploadServiceDeps {
  uploads: UploadRepository;
  media: MediaStore;
  guard: UploadGuard;
  /** How long an unused upload is kept: after it was made, and after the last generation using it failed. */
  ttlMs: number;
  now?: () => Date;
  warn?: (details: object, message: string) => void;
}

/** Sweeps look at this many uploads per query, and at most this many queries per run. */
const SWEEP_BATCH = 100;
const SWEEP_MAX_BATCHES = 20;

/** The one way an input portrait is stored, found for a generation, and let go of. */
export function createUploadService(deps: UploadServiceDeps) {
  const { uploads, media } = deps;
  const now = deps.now ?? (() => new Date());
  const warn = deps.warn ?? (() => undefined);
  const cutoffAt = (at: Date): ExpiryCutoff => ({ now: at.toISOString(), failedBefore: new Date(at.getTime() - deps.ttlMs).toISOString() });

  async function dropFile(key: string) {
    try {
      await media.delete(key);
    } catch (error) {
      // The record is gone already; a file left behind is only wasted space.
      warn({ err: error, key }, "could not delete an upload's file");
    }
  }

  /** Stores a checked image (file first, then the record, so a record always has its file). */
  async function store(image: PreparedImage): Promise<UploadRecord> {
    const id = newUploadId();
    const createdAt = now();
    const record: UploadRecord = {
      id,
      mediaKey: inputKeyFor(id),
      width: image.width,
      height: image.height,
      bytes: image.jpeg.length,
      createdAt: createdAt.toISOString(),
      expiresAt: new Date(createdAt.getTime() + deps.ttlMs).toISOString(),
    };
    if (!(await media.hasRoom(image.jpeg.length))) throw storageFull();
    await media.putBuffer(record.mediaKey, image.jpeg).catch((error: unknown) => {
      throw isStorageFull(error) ? storageFull() : storageUnavailable(error);
    });
    try {
      await uploads.insert(record);
    } catch (error) {
      await dropFile(record.mediaKey);
      throw isStorageFull(error) ? storageFull() : error;
    }
    return record;
  }

  return {
    store,

    /** POST /api/uploads: limits first (before the body is read), then every image check, then storage. */
    async accept(readImage: () => Promise<Buffer>, request: { clientKey: string }): Promise<UploadRecord> {
      await deps.guard.admitRequest(request.clientKey);
      const image = await prepareUploadImage(await readImage(), { beforeDecode: deps.guard.checkRoom });
      return deps.guard.withRoom(image.jpeg.length, () => store(image));
    },

    /** An upload a new generation may be made from: it exists, and its time has not run out (see UploadRepository). */
    async usable(id: string): Promise<UploadRecord> {
      const upload = await uploads.findById(id);
      if (!upload) {
        throw new ApiError("not_found", "No such upload (uploads no generation uses expire). Upload the image again.", "uploadId");
      }
      if (await uploads.isExpired(id, cutoffAt(now()))) {
        throw new ApiError("upload_expired", "This upload has expired and is being deleted. Upload the image again.", "uploadId");
      }
      return upload;
    },

    /** What a failed generation whose portrait was swept answers for its input, Retry and Re-run. */
    portraitRemoved(): ApiError {
      return new ApiError("upload_expired", `This portrait was removed ${formatDuration(deps.ttlMs)} after the generation failed; start again with the photo.`);
    },

    /** After a generation is deleted: the upload and its file go when no generation uses it any more. */
    async release(id: string): Promise<void> {
      const deleted = await uploads.deleteIfUnused(id);
      if (deleted) await dropFile(deleted.mediaKey);
    },

    /** Deletes unused uploads whose time has run out; safe to run on several instances at once. */
    async sweep(): Promise<number> {
      let swept = 0;
      for (let batch = 0; batch < SWEEP_MAX_BATCHES; batch++) {
        const cutoff = cutoffAt(now());
        const expired = await uploads.listExpired(cutoff, SWEEP_BATCH);
        for (const upload of expired) {
          // Another instance may sweep it too, or a create may take it: only the one delete that wins drops the file.
          const deleted = await uploads.deleteIfExpired(upload.id, cutoff);
          if (deleted) {
            await dropFile(deleted.mediaKey);
            swept++;
          }
        }
        if (expired.length < SWEEP_BATCH) break;
      }
      return swept;
    },
  };
}

export type UploadService = ReturnType<typeof createUploadService>;
