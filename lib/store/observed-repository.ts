import "server-only";
import type { GenerationRepository, GenerationTransition } from "@/lib/generations/generation-repository";

/**
 * Reports every change watchers can see (inserts, a set's inserts, transitions such as a
 * cancel, deletes), whoever made it (tracker, routes, queue), without them having to
 * remember: the repository is the only way to write a generation. An applied update comes
 * with its transition, so listeners need not read the record back. Claims and the submit
 * gate are the tracker's own bookkeeping; the `submitted` transition right after the gate
 * is what watchers hear.
 */
export function observeWrites(repository: GenerationRepository, changed: (id: string, transition?: GenerationTransition) => void): GenerationRepository {
  return {
    ...repository,
    async insert(record) {
      const result = await repository.insert(record);
      if (result.created) changed(result.record.id);
      return result;
    },
    async insertSet(set, records) {
      const result = await repository.insertSet(set, records);
      if (result.created) for (const record of result.records) changed(record.id);
      return result;
    },
    async update(id, transition) {
      const updated = await repository.update(id, transition);
      if (updated) changed(id, transition);
      return updated;
    },
    async delete(id) {
      const deleted = await repository.delete(id);
      if (deleted) changed(id);
      return deleted;
    },
  };
}
