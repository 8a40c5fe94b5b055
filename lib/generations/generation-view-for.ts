import type { GenerationView } from "@/lib/contracts/generation";
import type { DerivativeService } from "@/lib/media/derivatives/derivative-service";
import { derivedMediaOf } from "@/lib/media/derivatives/video-dimensions";
import type { QueueService } from "@/lib/queue/queue-service";
import type { TakeService } from "@/lib/takes/take-service";
import type { GenerationRecord } from "./generation-record";
import { toGenerationView, type ViewContext } from "./to-generation-view";

/** Where a generation's view gets what its record does not hold (the server's services fit as they are). */
export interface ViewSources {
  viewContext: ViewContext;
  takes: Pick<TakeService, "withSets">;
  queue: Pick<QueueService, "withPlaces">;
  derivatives: Pick<DerivativeService, "listFor">;
}

/**
 * Views of one generation, one per state it is seen in: the record, its set of takes, its
 * place in the queue (read only while it waits) and its derived media (size and renditions,
 * one read, only once it has succeeded). Lookups whose answer cannot have changed since the
 * last view are not made again, so an event stream costs little per change.
 */
export function generationViews(sources: ViewSources): (record: GenerationRecord) => Promise<GenerationView> {
  // Sets are made with their generations: one that is in none never joins one later. (A member's
  // favourite may change, so members are looked up every time.)
  let inNoSet = false;
  return async (record) => {
    const view = toGenerationView(record, sources.viewContext);
    const [withSet, [annotated = view], jobs] = await Promise.all([
      inNoSet ? view : sources.takes.withSets([view]).then(([found]) => found ?? view),
      sources.queue.withPlaces([view]),
      view.status === "succeeded" && view.videoUrl ? sources.derivatives.listFor(record.id) : undefined,
    ]);
    if (withSet.takeSetId === undefined) inNoSet = true;
    const full: GenerationView = { ...annotated, takeSetId: withSet.takeSetId, favourite: withSet.favourite };
    return jobs && view.videoUrl ? { ...full, ...derivedMediaOf(jobs, view.videoUrl) } : full;
  };
}

/** A generation as the owner's API, event stream and page show it. */
export function generationViewFor(record: GenerationRecord, sources: ViewSources): Promise<GenerationView> {
  return generationViews(sources)(record);
}
