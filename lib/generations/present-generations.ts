import "server-only";
import type { GenerationView } from "@/lib/contracts/generation";
import type { DerivativeService } from "@/lib/media/derivatives/derivative-service";
import { derivedMediaOf } from "@/lib/media/derivatives/video-dimensions";
import type { QueueService } from "@/lib/queue/queue-service";
import type { TakeService } from "@/lib/takes/take-service";
import type { GenerationRecord } from "./generation-record";
import { inContractOrder, toGenerationView, type ViewContext } from "./to-generation-view";

/** Where a generation's view gets what its record does not hold (the server's services fit as they are). */
export interface ViewSources {
  viewContext: ViewContext;
  takes: Pick<TakeService, "withSets">;
  queue: Pick<QueueService, "withPlaces">;
  derivatives: Pick<DerivativeService, "listForMany">;
}

export interface GenerationPresenter {
  /** Views in the records' order: one read per source however many records (sets; queue places while one waits; derived media once one has succeeded). */
  present(records: readonly GenerationRecord[]): Promise<GenerationView[]>;
  presentOne(record: GenerationRecord): Promise<GenerationView>;
}

/**
 * The one builder of `GenerationView`: the record's own fields, its set of takes, its place
 * in the queue and its derived media (size and renditions). Routes, pages, history, take
 * sets and the event stream all show a generation through it, so they cannot disagree.
 */
export function generationPresenter(sources: ViewSources): GenerationPresenter {
  return presenterOf((records) => presentAll(sources, records, new Set()));
}

/**
 * A presenter for one event stream: it skips lookups a change cannot have altered. Sets are
 * made with their generations, so one seen in none never joins one later and its set is not
 * read again (a member's favourite may change, so members are read every time).
 */
export function streamPresenter(sources: ViewSources): GenerationPresenter {
  const inNoSet = new Set<string>();
  return presenterOf(async (records) => {
    const views = await presentAll(sources, records, inNoSet);
    for (const view of views) if (view.takeSetId === undefined) inNoSet.add(view.id);
    return views;
  });
}

function presenterOf(present: GenerationPresenter["present"]): GenerationPresenter {
  return { present, presentOne: async (record) => (await present([record]))[0]! };
}

async function presentAll(sources: ViewSources, records: readonly GenerationRecord[], inNoSet: ReadonlySet<string>): Promise<GenerationView[]> {
  const views = records.map((record) => toGenerationView(record, sources.viewContext));
  const mayBeInSet = views.filter((view) => !inNoSet.has(view.id));
  // Only a stored result has a video URL, and only it has derived media.
  const playable = views.filter((view) => view.videoUrl !== null).map((view) => view.id);
  const [withSets, placed, jobs] = await Promise.all([
    mayBeInSet.length > 0 ? sources.takes.withSets(mayBeInSet) : [],
    sources.queue.withPlaces(views),
    playable.length > 0 ? sources.derivatives.listForMany(playable) : new Map<string, never>(),
  ]);
  const sets = new Map(withSets.map((view) => [view.id, view]));
  return placed.map((view) => {
    const set = sets.get(view.id);
    const derived = view.videoUrl === null ? {} : derivedMediaOf(jobs.get(view.id) ?? [], view.videoUrl);
    return inContractOrder({ ...view, takeSetId: set?.takeSetId, favourite: set?.favourite, ...derived });
  });
}
