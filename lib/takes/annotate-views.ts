import type { GenerationView } from "@/lib/contracts/generation";
import type { QueueService } from "@/lib/queue/queue-service";
import type { TakeService } from "./take-service";

/** Adds what views of single generations do not know by themselves: their set of takes and their place in the queue. */
export async function annotateViews(
  views: GenerationView[],
  deps: { takes: Pick<TakeService, "withSets">; queue: Pick<QueueService, "withPlaces"> },
): Promise<GenerationView[]> {
  return deps.queue.withPlaces(await deps.takes.withSets(views));
}
