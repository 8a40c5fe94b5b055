import { RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import type { Limiter } from "./coordination";

/**
 * rate-limiter-flexible says "no" by rejecting with a RateLimiterRes. That is told apart from
 * a store failure here, next to where the limiter is built, so `instanceof` meets the same copy
 * of the library that made the limiter (each route bundle has its own copy; the services, and
 * so the limiters, are shared by all of them). Callers get a plain answer and see only real errors.
 */
export function toLimiter(limiter: RateLimiterAbstract): Limiter {
  return {
    async consume(key, points = 1) {
      try {
        await limiter.consume(key, points);
        return { allowed: true };
      } catch (error) {
        if (error instanceof RateLimiterRes) return { allowed: false, retryAfterMs: Math.max(0, error.msBeforeNext) };
        throw error;
      }
    },
    async peek(key, points = 1) {
      const used = await limiter.get(key);
      if (!used || used.consumedPoints + points <= limiter.points) return { allowed: true };
      return { allowed: false, retryAfterMs: Math.max(0, used.msBeforeNext) };
    },
    async reward(key, points) {
      await limiter.reward(key, points);
    },
    async delete(key) {
      await limiter.delete(key);
    },
  };
}
