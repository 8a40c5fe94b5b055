import "server-only";
import { notFound } from "@/lib/errors";
import type { DerivativeService } from "@/lib/media/derivatives/derivative-service";
import type { MediaStore } from "@/lib/media/media-store";
import type { TakeStore } from "@/lib/takes/kysely-take-store";
import type { GenerationTracker } from "@/lib/tracker/generation-tracker";
import type { UploadService } from "@/lib/uploads/upload-service";
import type { GenerationRecord } from "./generation-record";
import type { GenerationRepository } from "./generation-repository";

export interface GenerationRemovalDeps {
  generations: Pick<GenerationRepository, "findById" | "delete">;
  takes: Pick<TakeStore, "forgetMember">;
  tracker: Pick<GenerationTracker, "forget">;
  derivatives: Pick<DerivativeService, "removeAll">;
  media: Pick<MediaStore, "delete">;
  uploads: Pick<UploadService, "release">;
  warn(details: object, message: string): void;
}

export interface RemoveOptions {
  /** Answer not_found for an id that is not there (one generation asked for by id), rather than skip it (a set's takes). */
  mustExist?: boolean;
}

/**
 * Deletes generations and everything made from them, one after the other; returns the ids
 * it deleted. The one place a generation's life ends (DELETE of a generation, of a take set).
 */
export async function removeGenerations(ids: readonly string[], deps: GenerationRemovalDeps, options: RemoveOptions = {}): Promise<string[]> {
  const removed: string[] = [];
  for (const id of ids) {
    const record = await deps.generations.findById(id);
    if (!record) {
      if (options.mustExist) throw notFound();
      continue;
    }
    await removeOne(record, deps);
    removed.push(id);
  }
  return removed;
}

/**
 * The order makes a failure part-way safe: nothing a person can still see loses its files,
 * and what is left behind is found by a sweep or named in the log.
 *
 * 1. Out of its take set (and the favourite; the set goes with its last take). Should the
 *    row's delete then fail, the take is still listed, on its own, with all its media.
 * 2. The row. The share link is a column of it, so the link stops here; the spending
 *    ledger's entry stays on purpose (budgets and totals count deleted generations).
 *    From here on the generation is gone for everyone.
 * 3. The tracker stops following it. Providers have no cancel: a task already sent runs to
 *    its end upstream; a result that lands later is refused by the missing row and discarded.
 * 4. Files, only now (before the row, a failed delete would leave a visible generation with no
 *    video): derived media (each file, then its row; rows left have no generation, so the
 *    derivative sweep finishes them), the result video, and the portrait, which takes and
 *    re-runs share: its upload and file go only with the last generation using it, at once,
 *    as they always have (the upload sweeper handles uploads no generation ever used).
 *    Each step runs even when another failed; a failure is logged, not answered, since the
 *    delete itself happened.
 */
async function removeOne(record: GenerationRecord, deps: GenerationRemovalDeps): Promise<void> {
  const { id } = record;
  await deps.takes.forgetMember(id);
  await deps.generations.delete(id);
  deps.tracker.forget(id);

  const attempt = async (step: string, work: () => Promise<void>, key?: string) => {
    try {
      await work();
    } catch (error) {
      deps.warn({ err: error, generationId: id, step, ...(key ? { key } : {}) }, "could not remove part of a deleted generation");
    }
  };
  await attempt("derived media", () => deps.derivatives.removeAll(id));
  const { resultKey, uploadId, inputKey } = record;
  if (resultKey) await attempt("result video", () => deps.media.delete(resultKey), resultKey);
  // A record without an upload owns its input file outright.
  if (uploadId) await attempt("portrait", () => deps.uploads.release(uploadId));
  else await attempt("portrait", () => deps.media.delete(inputKey), inputKey);
}
