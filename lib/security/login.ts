import "server-only";
import { env } from "@/lib/env";
import { ApiError } from "@/lib/errors";
import { forgetBefore, newSessionRecord, SESSION_LIFETIME_SECONDS } from "@/lib/sessions/session-policy";
import type { Coordination } from "@/lib/coordination/coordination";
import type { LoginLimiters } from "@/lib/limits/login-limiters";
import type { SessionRepository } from "@/lib/sessions/session-record";
import { passwordMatches, passwordVersion } from "./password";
import { liveSessionId, ownerSession } from "./session";

const ALL_CLIENTS = "all-clients";

/** What signing in and out needs: the session records, the sign-in limits and the bus that tells other instances. */
export interface LoginDeps {
  sessions: SessionRepository;
  loginLimiters: LoginLimiters;
  coordination: Pick<Coordination, "publish">;
}

/**
 * Checks the password and starts a session. Every attempt takes its place in the limits
 * before the password is looked at, so a burst cannot slip past them:
 * - each client (address, IPv6 /64) has LOGIN_ATTEMPTS_PER_15_MIN attempts;
 * - all clients together have LOGIN_ATTEMPTS_GLOBAL_PER_15_MIN; past that, sign-in pauses
 *   for every address nobody signed in from during the last session lifetime, while the
 *   owner's known addresses keep their own allowance. A right password gives its places back.
 */
export async function logIn(deps: LoginDeps, request: Request, password: string, client: string): Promise<void> {
  const expected = env().APP_PASSWORD;
  if (!expected) throw new ApiError("not_found", "This server has no password; there is nothing to sign in to.");
  const { loginLimiters, sessions } = deps;
  const { perClient, global } = loginLimiters;
  const now = new Date();

  const own = await perClient.consume(client);
  if (!own.allowed) throw tooMany(own.retryAfterMs);
  const all = await global.consume(ALL_CLIENTS);
  if (!all.allowed) {
    const since = new Date(now.getTime() - SESSION_LIFETIME_SECONDS * 1000).toISOString();
    if (!(await sessions.signedInFrom(client, since))) throw pausedForNewAddresses(all.retryAfterMs);
  }

  if (!passwordMatches(password, expected)) {
    throw new ApiError("unauthorized", "That password is not right.", "password");
  }
  await perClient.delete(client);
  if (all.allowed) await global.reward(ALL_CLIENTS, 1);

  const record = newSessionRecord(client, now);
  await sessions.insert(record);
  await sessions.deleteExpired(forgetBefore(now));
  const session = await ownerSession(sessions, request);
  session.passwordVersion = passwordVersion(expected);
  session.sessionId = record.id;
  await session.save();
}

/**
 * Signs this session out: its record is revoked, so a kept copy of the cookie is worthless,
 * and every instance closes the event streams it opened.
 */
export async function logOut(deps: LoginDeps, request: Request): Promise<void> {
  const { sessions, coordination } = deps;
  const session = await ownerSession(sessions, request);
  if (session.sessionId) {
    await sessions.revoke(session.sessionId, new Date().toISOString());
    // After the revoke, so an instance that re-reads the session on hearing this sees it ended.
    coordination.publish({ type: "session_ended", id: session.sessionId });
  }
  session.destroy();
}

/** Ends every open session (all browsers and devices), this one included, and their event streams. */
export async function logOutEverywhere(deps: LoginDeps, request: Request): Promise<void> {
  const { sessions, coordination } = deps;
  if (!env().APP_PASSWORD) throw new ApiError("not_found", "This server has no password; there are no sessions to end.");
  if (!(await liveSessionId(sessions))) throw new ApiError("unauthorized", "Sign in to use Portrait Live on this server.");
  await sessions.revokeAll(new Date().toISOString());
  coordination.publish({ type: "sessions_ended" });
  (await ownerSession(sessions, request)).destroy();
}

const inMinutes = (retryAfterMs: number) => {
  const minutes = Math.max(1, Math.ceil(retryAfterMs / 60_000));
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
};

const retryAfter = (retryAfterMs: number) => ({ retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) });

const tooMany = (retryAfterMs: number) =>
  new ApiError("rate_limited", `Too many wrong passwords. Try again in ${inMinutes(retryAfterMs)}.`, undefined, retryAfter(retryAfterMs));

const pausedForNewAddresses = (retryAfterMs: number) =>
  new ApiError(
    "rate_limited",
    `Too many wrong passwords on this server: signing in from a new address is paused. Try again in ${inMinutes(retryAfterMs)}.`,
    undefined,
    retryAfter(retryAfterMs),
  );
