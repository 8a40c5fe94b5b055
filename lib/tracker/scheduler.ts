import "server-only";

interface Entry<T> {
  timer: NodeJS.Timeout | null;
  running: Promise<void> | null;
  rerun: boolean;
  data: T;
}

export interface Scheduler {
  /** Whether this generation is followed here (has an entry). */
  follows(id: string): boolean;
  /** Whether a step is running for it right now. */
  isRunning(id: string): boolean;
  /** Step now, unless a step is running: then once more right after it (single flight). */
  run(id: string): void;
  /** Step after `delayMs`; replaces any timer already set. */
  runAfter(id: string, delayMs: number): void;
  /** Cancels any timer and any pending timer-started step for it; a kick runs a step now. */
  kick(id: string): void;
  /** Stop following it: its timer and data go. */
  drop(id: string): void;
  ids(): string[];
  size(): number;
  /** Drops everything and refuses new timers until `resume`. */
  stop(): void;
  resume(): void;
}

/**
 * Per-generation single flight: at most one step per generation at a time however many
 * kicks and timers arrive, a kick during a step asking for exactly one more step after
 * it. A step that throws is handed to `onError` (which schedules the retry).
 */
export function createScheduler<T>(options: {
  fresh: () => T;
  step: (id: string, data: T) => Promise<void>;
  onError: (id: string, data: T, error: unknown) => void;
}): Scheduler {
  const entries = new Map<string, Entry<T>>();
  let stopped = false;

  function entry(id: string): Entry<T> {
    let found = entries.get(id);
    if (!found) {
      found = { timer: null, running: null, rerun: false, data: options.fresh() };
      entries.set(id, found);
    }
    return found;
  }

  function run(id: string) {
    const state = entry(id);
    if (state.running) {
      state.rerun = true;
      return;
    }
    state.running = options
      .step(id, state.data)
      .catch((error: unknown) => options.onError(id, state.data, error))
      .finally(() => {
        state.running = null;
        if (state.rerun && entries.get(id) === state) {
          state.rerun = false;
          run(id);
        }
      });
  }

  function runAfter(id: string, delayMs: number) {
    if (stopped) return;
    const state = entry(id);
    if (state.timer) clearTimeout(state.timer);
    state.timer = setTimeout(() => {
      state.timer = null;
      run(id);
    }, delayMs);
    state.timer.unref?.();
  }

  function drop(id: string) {
    const state = entries.get(id);
    if (state?.timer) clearTimeout(state.timer);
    entries.delete(id);
  }

  return {
    follows: (id) => entries.has(id),
    isRunning: (id) => Boolean(entries.get(id)?.running),
    run,
    runAfter,
    kick(id) {
      const state = entry(id);
      if (state.timer) clearTimeout(state.timer);
      state.timer = null;
      run(id);
    },
    drop,
    ids: () => [...entries.keys()],
    size: () => entries.size,
    stop() {
      stopped = true;
      for (const id of [...entries.keys()]) drop(id);
    },
    resume() {
      stopped = false;
    },
  };
}
