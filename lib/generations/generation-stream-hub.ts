import type { GenerationView } from "@/lib/contracts/generation";
import type { GenerationEvents } from "./generation-events";
import type { GenerationRecord } from "./generation-record";

/** What a stream hears: the generation as it is now, or that it no longer exists. */
export type StreamUpdate = { view: GenerationView } | { gone: true };

/** Builds a generation's view from its record (one builder per generation, so it may remember lookups a change cannot alter). */
export type GenerationViewer = (record: GenerationRecord) => Promise<GenerationView>;

export interface StreamHubDeps {
  events: Pick<GenerationEvents, "subscribe">;
  read: (id: string) => Promise<GenerationRecord | undefined>;
  newViewer: () => GenerationViewer;
  warn?: (details: object, message: string) => void;
}

/**
 * Every open stream of one generation shares one follower: a change is read and its view
 * built once, then written to each stream, so a change costs the same with one page open as
 * with thousands. Changes that arrive while a view is being built fold into one more read.
 */
export interface GenerationStreamHub {
  /** `deliver` hears the current view (soon after this call), then each new one; returns the way to stop. */
  follow(id: string, deliver: (update: StreamUpdate) => void): () => void;
}

export function createGenerationStreamHub(deps: StreamHubDeps): GenerationStreamHub {
  const channels = new Map<string, ReturnType<typeof openChannel>>();

  function openChannel(id: string) {
    const followers = new Set<(update: StreamUpdate) => void>();
    const viewOf = deps.newViewer();
    let latest: StreamUpdate | undefined;
    let reading = false;
    let changedMeanwhile = false;

    async function readOnce(): Promise<StreamUpdate> {
      const record = await deps.read(id).catch(() => undefined);
      return record ? { view: await viewOf(record) } : { gone: true };
    }

    async function refresh() {
      if (reading) {
        changedMeanwhile = true;
        return;
      }
      reading = true;
      try {
        do {
          changedMeanwhile = false;
          latest = await readOnce();
          for (const deliver of [...followers]) deliver(latest);
        } while (changedMeanwhile && followers.size > 0);
      } catch (error) {
        deps.warn?.({ err: error, id }, "could not build a generation's view for its event streams");
      } finally {
        reading = false;
      }
    }

    const unsubscribe = deps.events.subscribe(id, () => void refresh());
    return {
      join(deliver: (update: StreamUpdate) => void) {
        followers.add(deliver);
        // A read under way reaches the newcomer too; otherwise the last view is current (every change since was read).
        if (reading) return;
        if (!latest) return void refresh();
        const current = latest;
        queueMicrotask(() => {
          if (followers.has(deliver)) deliver(current);
        });
      },
      leave(deliver: (update: StreamUpdate) => void) {
        followers.delete(deliver);
        if (followers.size > 0) return;
        unsubscribe();
        channels.delete(id);
      },
    };
  }

  return {
    follow(id, deliver) {
      let channel = channels.get(id);
      if (!channel) {
        channel = openChannel(id);
        channels.set(id, channel);
      }
      const joined = channel;
      joined.join(deliver);
      let following = true;
      return () => {
        if (!following) return;
        following = false;
        joined.leave(deliver);
      };
    },
  };
}
