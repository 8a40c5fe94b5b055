import "server-only";
import { EventEmitter } from "node:events";

/** In-process notice that a generation changed, so open pages hear of it at once. */
export interface GenerationEvents {
  emit(id: string): void;
  subscribe(id: string, listener: () => void): () => void;
}

export function createGenerationEvents(): GenerationEvents {
  const emitter = new EventEmitter();
  // One listener per open page; there is no meaningful cap.
  emitter.setMaxListeners(0);
  return {
    emit: (id) => void emitter.emit(id),
    subscribe(id, listener) {
      emitter.on(id, listener);
      return () => emitter.off(id, listener);
    },
  };
}
