import { EventEmitter } from "node:events";
import { Mutex } from "async-mutex";
import { RateLimiterMemory } from "rate-limiter-flexible";
import type { Coordination, LockName } from "./coordination";
import { toLimiter } from "./limiter";

/** Coordination within one process: enough when the store is the SQLite file (one process). */
export function createProcessCoordination(): Coordination {
  const locks = new Map<LockName, Mutex>();
  const bus = new EventEmitter();
  // One listener per open page; there is no meaningful cap.
  bus.setMaxListeners(0);
  return {
    kind: "process",
    limiter: ({ name, points, durationSeconds }) => toLimiter(new RateLimiterMemory({ keyPrefix: name, points, duration: durationSeconds })),
    exclusive(lock, work) {
      let mutex = locks.get(lock);
      if (!mutex) locks.set(lock, (mutex = new Mutex()));
      return mutex.runExclusive(work);
    },
    publish: (message) => void bus.emit("message", message),
    subscribe(listener) {
      bus.on("message", listener);
      return () => bus.off("message", listener);
    },
    close: async () => undefined,
  };
}
