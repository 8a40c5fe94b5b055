import "server-only";
import type { Coordination } from "@/lib/coordination/coordination";
import { liveUntil } from "./session-policy";
import type { SessionRepository } from "./session-record";

/** A safety net for a sign-out notice that never arrived (a lost notification connection). */
const DEFAULT_RECHECK_MS = 5_000;

/** One watcher of one session (an open event stream, say). */
export interface WatchedSession {
  /** From memory, no store read: false once the session is known to have ended or has expired. */
  live(): boolean;
  /** No longer interested: the end callback will not be called. */
  stop(): void;
}

export interface SessionWatch {
  /** Calls `onEnd` once when the session ends: signed out, signed out everywhere, or expired. */
  watch(sessionId: string, onEnd: () => void): WatchedSession;
  close(): void;
}

export interface SessionWatchDeps {
  find: SessionRepository["find"];
  /** Says at once when sessions end, on whichever instance they were ended. */
  bus: Pick<Coordination, "subscribe">;
  recheckMs?: number;
  warn?: (details: object, message: string) => void;
}

interface Entry {
  listeners: Set<() => void>;
  /** When the session stops being open (ms since the epoch), as last read from the store. */
  until: number;
}

/**
 * Which watched sessions are still open, kept per session rather than per watcher: the bus
 * ends them at once, and one timer re-reads each watched session (not each watcher) every
 * few seconds, so the cost grows with open sessions, not with open streams.
 */
export function createSessionWatch(deps: SessionWatchDeps): SessionWatch {
  const recheckMs = deps.recheckMs ?? DEFAULT_RECHECK_MS;
  const watched = new Map<string, Entry>();
  let timer: NodeJS.Timeout | undefined;
  let rechecking = false;

  function end(id: string, entry: Entry): void {
    // Ending is final: a look at the store that started before cannot bring the entry back.
    if (watched.get(id) !== entry) return;
    forget(id);
    for (const listener of [...entry.listeners]) {
      try {
        listener();
      } catch (error) {
        deps.warn?.({ err: error }, "a watcher failed while its session ended");
      }
    }
  }

  function forget(id: string): void {
    watched.delete(id);
    if (watched.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  }

  async function check(id: string, entry: Entry): Promise<void> {
    let until: number;
    try {
      const record = await deps.find(id);
      until = record ? liveUntil(record) : -Infinity;
    } catch (error) {
      // The bus still ends sessions meanwhile; closing every stream over a store hiccup would not help.
      deps.warn?.({ err: error }, "could not re-check a watched session; keeping it open until the next check");
      return;
    }
    if (watched.get(id) !== entry) return;
    entry.until = until;
    if (Date.now() >= until) end(id, entry);
  }

  /** One look per watched session, one after another: gentle on the store's pool. */
  async function checkEach(): Promise<void> {
    for (const [id, entry] of [...watched]) await check(id, entry);
  }

  function recheck(): void {
    if (rechecking) return;
    rechecking = true;
    void checkEach().finally(() => (rechecking = false));
  }

  const unsubscribe = deps.bus.subscribe((message) => {
    if (message.type === "session_ended") {
      const entry = watched.get(message.id);
      if (entry) end(message.id, entry);
    } else if (message.type === "sessions_ended") {
      // Not "end them all": a session opened since the sign-out must keep its streams.
      void checkEach();
    }
  });

  return {
    watch(id, onEnd) {
      let entry = watched.get(id);
      if (!entry) {
        entry = { listeners: new Set(), until: Infinity };
        watched.set(id, entry);
        if (!timer) {
          timer = setInterval(recheck, recheckMs);
          // The watch never keeps the process alive by itself.
          timer.unref();
        }
        // Covers a sign-out between the request's session check and this watch.
        void check(id, entry);
      }
      const mine = entry;
      // A wrapper of its own, so the same callback given twice counts as two watchers.
      const listener = () => onEnd();
      mine.listeners.add(listener);
      return {
        live() {
          if (watched.get(id) !== mine) return false;
          if (Date.now() < mine.until) return true;
          end(id, mine);
          return false;
        },
        stop() {
          mine.listeners.delete(listener);
          if (mine.listeners.size === 0 && watched.get(id) === mine) forget(id);
        },
      };
    },
    close() {
      unsubscribe();
      for (const id of [...watched.keys()]) forget(id);
    },
  };
}
