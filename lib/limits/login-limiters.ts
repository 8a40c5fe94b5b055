import type { Coordination, Limiter } from "@/lib/coordination/coordination";

const WINDOW_SECONDS = 15 * 60;

/** Sign-in attempts per client and from all clients together, per 15 minutes. */
export interface LoginLimiters {
  perClient: Limiter;
  global: Limiter;
}

/** Counted where the instances' shared counters live, so N instances allow what one would. */
export function createLoginLimiters(coordination: Pick<Coordination, "limiter">, limits: { perClient: number; global: number }): LoginLimiters {
  return {
    perClient: coordination.limiter({ name: "login-client", points: limits.perClient, durationSeconds: WINDOW_SECONDS }),
    global: coordination.limiter({ name: "login-all", points: limits.global, durationSeconds: WINDOW_SECONDS }),
  };
}
