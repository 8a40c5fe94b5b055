/** Exponential backoff with full jitter, capped, so many tasks never retry in lockstep. */
export function backoffDelay(baseMs: number, failures: number, capMs: number, random = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, failures));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
