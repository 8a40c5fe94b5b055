import type { Coordination, LimitDecision } from "@/lib/coordination/coordination";
import { ApiError } from "@/lib/errors";

/**
 * A count per key per minute that answers 429 with when to try again once it is used up.
 * Counted where the coordination keeps counters: in memory for one process, in the
 * database when instances share one, so the limit holds across all of them.
 */
export function perMinuteLimit(coordination: Pick<Coordination, "limiter">, name: string, points: number) {
  const limiter = coordination.limiter({ name, points, durationSeconds: 60 });
  const refuseUnless = (decision: LimitDecision, message: string) => {
    if (decision.allowed) return;
    const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
    throw new ApiError("rate_limited", `${message} Try again in ${seconds} second${seconds === 1 ? "" : "s"}.`, undefined, { retryAfterSeconds: seconds });
  };
  return {
    async consume(key: string, message: string, count = 1): Promise<void> {
      refuseUnless(await limiter.consume(key, count), message);
    },
    /** Refuses as `consume` would, without counting: for a look before costly work that `consume` follows. */
    async check(key: string, message: string, count = 1): Promise<void> {
      refuseUnless(await limiter.peek(key, count), message);
    },
  };
}
