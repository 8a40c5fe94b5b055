/** What the tracker needs from the queue (a small interface: the store behind it is swappable). */
export interface QueueHooks {
  /** Creates running at once (submitting or submitted, unfinished), at most. */
  maxInFlight: number;
  /** How often a waiting generation looks again by itself (a finish wakes it sooner). */
  recheckMs: number;
  /** Its turn (no older one waits) and a free slot: a cheap look before the gate decides for real. */
  mayStart(id: string): Promise<boolean>;
  /** The oldest waiting generations, as many as could start now at most. */
  oldestWaiting(): Promise<string[]>;
  /** Reaches the instance following a generation, whichever it is (default: this instance's tracker). */
  nudge?(id: string): void;
}
