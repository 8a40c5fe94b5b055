/** One limiter: `points` per `durationSeconds` per key, its keys kept apart from other limiters' by `name`. */
export interface LimiterSpec {
  name: string;
  points: number;
  durationSeconds: number;
}

/** A limiter's answer. A refusal is an answer like any other, never a thrown error. */
export type LimitDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

/** Counts attempts per key. Only a failing store throws (and that error is not a refusal). */
export interface Limiter {
  /** Takes `points` (default 1) of `key`'s allowance, or says how long until there is room again. */
  consume(key: string, points?: number): Promise<LimitDecision>;
  /** Whether `points` (default 1) would be allowed now, without taking them. */
  peek(key: string, points?: number): Promise<LimitDecision>;
  /** Gives `points` back to `key`. */
  reward(key: string, points: number): Promise<void>;
  /** Forgets everything `key` has used. */
  delete(key: string): Promise<void>;
}

/** A message every instance hears (the one that sent it too). */
export type BusMessage =
  | { type: "changed"; id: string }
  | { type: "nudge"; id: string }
  /** Derived-media work was queued: every instance's worker looks for it (instead of polling). */
  | { type: "derivatives_queued" }
  /** A session was signed out: streams it opened close at once. */
  | { type: "session_ended"; id: string }
  /** Every session was signed out: each instance re-reads the sessions it watches. */
  | { type: "sessions_ended" };

/**
 * What instances of one installation share beyond the store itself: rate-limit counters,
 * a lock for decisions that must see every instance's writes (admission), and a message
 * bus. One process on SQLite keeps all three in memory; on PostgreSQL they live in the
 * database, so limits, caps and live updates hold however many instances run.
 */
export interface Coordination {
  readonly kind: "process" | "postgres";
  limiter(spec: LimiterSpec): Limiter;
  /** Runs `work` while no other caller of the same lock, on any instance, runs theirs. */
  exclusive<T>(lock: LockName, work: () => Promise<T>): Promise<T>;
  publish(message: BusMessage): void;
  subscribe(listener: (message: BusMessage) => void): () => void;
  close(): Promise<void>;
}

/** Each lock serialises one kind of decision; different kinds never wait on each other. */
export const LOCKS = { admission: 1, uploads: 3 } as const;
export type LockName = keyof typeof LOCKS;
