import "server-only";
import type { GenerationView } from "@/lib/contracts/generation";
import type { CreateTakesInput, TakeSetView } from "@/lib/contracts/takes";
import { ApiError, notFound } from "@/lib/errors";
import type { GenerationRecord } from "@/lib/generations/generation-record";
import type { GenerationRepository } from "@/lib/generations/generation-repository";
import { createGenerationStarter, portraitFrom, type Started, type StartDeps } from "@/lib/generations/start-generations";
import type { TakeSetRecord, TakeStore } from "./kysely-take-store";

/** What starting a set needs (lib/generations/start-generations.ts), and the sets themselves. */
export interface TakeServiceDeps extends StartDeps {
  store: TakeStore;
  repository: StartDeps["repository"] & Pick<GenerationRepository, "findById">;
  /** Deletes generations as a deletion of each one would (lib/generations/remove-generations.ts). */
  removeGenerations(ids: readonly string[]): Promise<unknown>;
}

export interface TakeSetWithRecords {
  set: TakeSetRecord;
  records: GenerationRecord[];
}

/** Sets of takes: started together from one upload (admitted whole or not at all), compared, one picked. */
export function createTakeService(deps: TakeServiceDeps) {
  async function load(set: TakeSetRecord | undefined): Promise<TakeSetWithRecords> {
    if (!set) throw notFound("take set");
    const records = (await Promise.all(set.generationIds.map((id) => deps.repository.findById(id)))).filter(
      (record): record is GenerationRecord => record !== undefined,
    );
    if (records.length === 0) throw notFound("take set");
    const favouriteId = set.favouriteId && records.some((record) => record.id === set.favouriteId) ? set.favouriteId : null;
    return { set: { ...set, favouriteId, generationIds: records.map((record) => record.id) }, records };
  }

  const starter = createGenerationStarter(deps);
  const replay = async (idempotencyKey: string): Promise<Started | undefined> => {
    const set = await deps.store.findByIdempotencyKey(idempotencyKey);
    return set && { setId: set.id, records: (await load(set)).records, created: false };
  };

  return {
    /**
     * Starts every take from one upload. The set is admitted whole (limits, queue room,
     * budget reserved for all) or refused whole; the same idempotency key returns the same set.
     */
    async create(input: CreateTakesInput, request: { idempotencyKey?: string; clientKey: string }): Promise<{ taken: TakeSetWithRecords; created: boolean }> {
      const portrait = portraitFrom(input);
      const started = await starter.start({ portrait, takes: input.takes, asSet: true, ...request, replay });
      return { taken: await load(await deps.store.findById(started.setId ?? "")), created: started.created };
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

    /** Marks which views belong to a set (and which is its favourite): one read for any number (the presenter's). */
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

/** A set as the API and its page show it; `present` is the generation presenter's (lib/generations/present-generations.ts). */
export async function toTakeSetView(
  taken: TakeSetWithRecords,
  present: (records: readonly GenerationRecord[]) => Promise<GenerationView[]>,
): Promise<TakeSetView> {
  return { id: taken.set.id, createdAt: taken.set.createdAt, favouriteId: taken.set.favouriteId, generations: await present(taken.records) };
}
