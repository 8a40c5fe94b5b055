/**
 * A limiter's "no" (rate-limiter-flexible rejects with a RateLimiterRes). Told apart by its
 * shape, not `instanceof`: the services are shared across route bundles on globalThis, so a
 * limiter may come from another bundle's copy of the library.
 */
export function isLimitRefusal(error: unknown): error is { msBeforeNext: number } {
  return typeof error === "object" && error !== null && typeof (error as { msBeforeNext?: unknown }).msBeforeNext === "number" && !(error instanceof Error);
}
