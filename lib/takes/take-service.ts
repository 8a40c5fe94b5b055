import "server-only";
import type { GenerationView } from "@/lib/contracts/generation";
import type { CreateTakesInput, TakeSetView } from "@/lib/contracts/takes";
import { ApiError, notFound, storageFull } from "@/lib/errors";
import { newGenerationRecord, type GenerationRecord } from "@/lib/generations/generation-record";
import type { GenerationRepository } from "@/lib/generations/generation-repository";
import { newCallbackSecret, newGenerationId, newShareToken } from "@/lib/generations/ids";
import { decodeDataUrl, prepareUploadImage } from "@/lib/images/prepare-upload-image";
import type { AdmissionGuard } from "@/lib/limits/admission-guard";
import { isStorageFull } from "@/lib/media/storage-full";
import type { GenerationTracker } from "@/lib/tracker/generation-tracker";
import type { UploadRecord } from "@/lib/uploads/upload-record";
import type { UploadService } from "@/lib/uploads/upload-service";
import type { TakeSetRecord, TakeStore } from "./kysely-take-store";

export interface TakeServiceDeps {
  store: TakeStore;
  repository: Pick<GenerationRepository, "findById" | "insertSet">;
  /** Deletes generations as a deletion of each one would (lib/generations/remove-generations.ts). */
  removeGenerations(ids: readonly string[]): Promise<unknown>;
  uploads: Pick<UploadService, "store" | "usable" | "release">;
  tracker: Pick<GenerationTracker, "kick">;
  guard: AdmissionGuard;
  mode: "live" | "demo";
  now?: () => Date;
}

export interface TakeSetWithRecords {
  set: TakeSetRecord;
  records: GenerationRecord[];
}

/** Sets of takes: started together from one upload (admitted whole or not at all), compared, one picked. */
export function createTakeService(deps: TakeServiceDeps) {
  const now = deps.now ?? (() => new Date());

  async function load(set: TakeSetRecord | undefined): Promise<TakeSetWithRecords> {
    if (!set) throw notFound("take set");
    const records = (await Promise.all(set.generationIds.map((id) => deps.repository.findById(id)))).filter(
      (record): record is GenerationRecord => record !== undefined,
    );
    if (records.length === 0) throw notFound("take set");
    const favouriteId = set.favouriteId && records.some((record) => record.id === set.favouriteId) ? set.favouriteId : null;
    return { set: { ...set, favouriteId, generationIds: records.map((record) => record.id) }, records };
  }

  /** One record per take, a millisecond apart so the queue starts them in the order asked. */
  function recordsFor(upload: UploadRecord, input: CreateTakesInput, startedAt: Date): GenerationRecord[] {
    return input.takes.map((take, index) =>
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
        idempotencyKey: null,
        createdAt: new Date(startedAt.getTime() + index).toISOString(),
      }),
    );
  }

  async function insert(upload: UploadRecord, input: CreateTakesInput, idempotencyKey: string | undefined) {
    const createdAt = now();
    const records = recordsFor(upload, input, createdAt);
    let result: { created: boolean; setId: string };
    try {
      result = await deps.repository.insertSet(
        { id: newGenerationId(), uploadId: upload.id, idempotencyKey: idempotencyKey ?? null, createdAt: createdAt.toISOString() },
        records,
      );
    } catch (error) {
      if (isStorageFull(error)) throw storageFull();
      // The upload was swept between our look and the insert: the foreign key refused it.
      await deps.uploads.usable(upload.id);
      throw error;
    }
    if (result.created) for (const record of records) deps.tracker.kick(record.id);
    return result;
  }

  return {
    /**
     * Starts every take from one upload. The set is admitted whole (limits, queue room,
     * budget reserved for all) or refused whole; the same idempotency key returns the same set.
     */
    async create(input: CreateTakesInput, request: { idempotencyKey?: string; clientKey: string }): Promise<{ taken: TakeSetWithRecords; created: boolean }> {
      const { idempotencyKey } = request;
      const replay = idempotencyKey ? await deps.store.findByIdempotencyKey(idempotencyKey) : undefined;
      if (replay) return { taken: await load(replay), created: false };
      const count = input.takes.length;
      let result: { created: boolean; setId: string };
      if (input.uploadId !== undefined) {
        const upload = await deps.uploads.usable(input.uploadId);
        result = await deps.guard.admit(request.clientKey, () => insert(upload, input, idempotencyKey), count);
      } else {
        if (input.image === undefined) throw new ApiError("invalid_body", "Send uploadId or image.", "uploadId");
        const image = await prepareUploadImage(decodeDataUrl(input.image));
        result = await deps.guard.admit(
          request.clientKey,
          async () => {
            const upload = await deps.uploads.store(image);
            const inserted = await insert(upload, input, idempotencyKey).catch(async (error: unknown) => {
              await deps.uploads.release(upload.id).catch(() => undefined);
              throw error;
            });
            if (!inserted.created) await deps.uploads.release(upload.id);
            return inserted;
          },
          count,
        );
      }
      return { taken: await load(await deps.store.findById(result.setId)), created: result.created };
    },

    get: async (id: string) => load(await deps.store.findById(id)),

    async setFavourite(id: string, favouriteId: string | null): Promise<TakeSetWithRecords> {
      const current = await load(await deps.store.findById(id));
      if (favouriteId !== null && !current.set.generationIds.includes(favouriteId)) {
        throw new ApiError("invalid_body", "favouriteId must be the id of one of this set's takes.", "favouriteId");
      }
      await deps.store.setFavourite(id, favouriteId);
      return { ...current, set: { ...current.set, favouriteId } };
    },

    /** The set and every take in it, each with all its media (and the shared portrait with the last). */
    async remove(id: string): Promise<void> {
      const set = await deps.store.findById(id);
      if (!set) throw notFound("take set");
      await deps.removeGenerations(set.generationIds);
      // The set went with its last take; this also clears one whose takes were deleted before sets went with them.
      await deps.store.delete(id);
    },

    /** Marks which views belong to a set (and which is its favourite), for history. */
    async withSets<T extends GenerationView>(views: T[]): Promise<T[]> {
      const sets = await deps.store.setsOf(views.map((view) => view.id));
      return views.map((view) => {
        const membership = sets.get(view.id);
        return membership ? { ...view, takeSetId: membership.setId, favourite: membership.favouriteId === view.id } : view;
      });
    },
  };
}

export type TakeService = ReturnType<typeof createTakeService>;

export function toTakeSetView(taken: TakeSetWithRecords, toView: (record: GenerationRecord) => GenerationView): TakeSetView {
  return {
    id: taken.set.id,
    createdAt: taken.set.createdAt,
    favouriteId: taken.set.favouriteId,
    generations: taken.records.map((record) => ({ ...toView(record), takeSetId: taken.set.id, favourite: record.id === taken.set.favouriteId })),
  };
}
