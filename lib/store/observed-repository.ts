import "server-only";
import type { GenerationRepository, GenerationTransition } from "@/lib/generations/generation-repository";

/**
 * Reports every write, whoever made it (tracker, routes), without them having to remember;
 * an applied update comes with its transition, so listeners need not read the record back.
 */
export function observeWrites(repository: GenerationRepository, changed: (id: string, transition?: GenerationTransition) => void): GenerationRepository {
  return {
    ...repository,
    async insert(record) {
      const result = await repository.insert(record);
      if (result.created) changed(result.record.id);
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
