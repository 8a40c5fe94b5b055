import type { QueueSnapshot } from "./kysely-queue-store";

export interface QueuePlace {
  /** 1 is the next to start. */
  queuePosition: number;
  /** When it should start, from how long recent generations ran (ISO 8601). */
  estimatedStartAt: string;
}

/** The middle of recent durations, or the fallback when there are none yet. */
export function typicalDurationMs(recentDurationsMs: readonly number[], fallbackMs: number): number {
  if (recentDurationsMs.length === 0) return fallbackMs;
  const sorted = [...recentDurationsMs].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : Math.round((sorted[middle - 1]! + sorted[middle]!) / 2);
}

/**
 * Each waiting generation's place and estimated start: the first ones take the free slots
 * now; the rest start a typical duration later per full round of `maxInFlight` ahead of them.
 */
export function queuePlaces(snapshot: QueueSnapshot, options: { maxInFlight: number; nowMs: number; fallbackDurationMs: number }): Map<string, QueuePlace> {
  const typical = typicalDurationMs(snapshot.recentDurationsMs, options.fallbackDurationMs);
  const free = Math.max(0, options.maxInFlight - snapshot.running);
  const places = new Map<string, QueuePlace>();
  snapshot.waiting.forEach((id, index) => {
    const position = index + 1;
    const rounds = position <= free ? 0 : Math.ceil((position - free) / options.maxInFlight);
    places.set(id, { queuePosition: position, estimatedStartAt: new Date(options.nowMs + rounds * typical).toISOString() });
  });
  return places;
}
