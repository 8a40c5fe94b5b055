import "server-only";
import { EventEmitter } from "node:events";
import type { Coordination } from "@/lib/coordination/coordination";
import { createProcessCoordination } from "@/lib/coordination/process-coordination";

/** Notice that a generation changed, so open pages hear of it at once, whichever instance changed it. */
export interface GenerationEvents {
  emit(id: string): void;
  subscribe(id: string, listener: () => void): () => void;
}

export function createGenerationEvents(bus: Pick<Coordination, "publish" | "subscribe"> = createProcessCoordination()): GenerationEvents {
  const byId = new EventEmitter();
  // One listener per open page; there is no meaningful cap.
  byId.setMaxListeners(0);
  bus.subscribe((message) => {
    if (message.type === "changed") byId.emit(message.id);
  });
  return {
    emit: (id) => bus.publish({ type: "changed", id }),
    subscribe(id, listener) {
      byId.on(id, listener);
      return () => byId.off(id, listener);
    },
  };
}
