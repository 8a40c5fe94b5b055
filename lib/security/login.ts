import "server-only";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { env } from "@/lib/env";
import { ApiError } from "@/lib/errors";
import { passwordMatches, passwordVersion } from "./password";
import { ownerSession } from "./session";

const globalForLogin = globalThis as unknown as { portraitLiveLoginLimiter?: RateLimiterMemory };

function failedAttempts(): RateLimiterMemory {
  globalForLogin.portraitLiveLoginLimiter ??= new RateLimiterMemory({
    points: env().LOGIN_ATTEMPTS_PER_15_MIN,
    duration: 15 * 60,
  });
  return globalForLogin.portraitLiveLoginLimiter;
}

/** Checks the password (rate-limited per client) and starts a session. */
export async function logIn(request: Request, password: string, client: string): Promise<void> {
  const expected = env().APP_PASSWORD;
  if (!expected) throw new ApiError("not_found", "This server has no password; there is nothing to sign in to.");
  const limiter = failedAttempts();
  const used = await limiter.get(client);
  if (used && used.consumedPoints >= env().LOGIN_ATTEMPTS_PER_15_MIN) {
    throw tooMany(used.msBeforeNext);
  }
  if (!passwordMatches(password, expected)) {
    await limiter.consume(client).catch((error: unknown) => {
      if (error instanceof RateLimiterRes) throw tooMany(error.msBeforeNext);
      throw error;
    });
    throw new ApiError("unauthorized", "That password is not right.", "password");
  }
  await limiter.delete(client);
  const session = await ownerSession(request);
  session.passwordVersion = passwordVersion(expected);
  await session.save();
}

export async function logOut(request: Request): Promise<void> {
  (await ownerSession(request)).destroy();
}

function tooMany(msBeforeNext: number) {
  const minutes = Math.max(1, Math.ceil(msBeforeNext / 60_000));
  return new ApiError("rate_limited", `Too many wrong passwords. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`);
}
