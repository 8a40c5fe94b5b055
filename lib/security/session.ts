import "server-only";
import { randomBytes } from "node:crypto";
import { getIronSession, type SessionOptions } from "iron-session";
import { cookies } from "next/headers";
import { env } from "@/lib/env";
import { isLive, SESSION_LIFETIME_SECONDS } from "@/lib/sessions/session-policy";
import type { SessionRepository } from "@/lib/sessions/session-record";
import { passwordVersion } from "./password";

/** What the sealed cookie carries: which password it was opened with, and its record on the server. */
export interface OwnerSession {
  passwordVersion?: string;
  sessionId?: string;
}

/** What checking a session needs of the store: the sealing key and the session records. */
export type SessionStore = Pick<SessionRepository, "sealingKey" | "find">;

const SESSION_COOKIE = "portrait_live_session";

let sealingKey: string | undefined;

/**
 * The key that seals session cookies: made once and kept in the store, so every instance
 * sharing the database accepts the same cookies.
 */
async function sessionSecret(sessions: SessionStore): Promise<string> {
  sealingKey ??= await sessions.sealingKey(randomBytes(32).toString("base64url"));
  return sealingKey;
}

async function sessionOptions(sessions: SessionStore, secure: boolean): Promise<SessionOptions> {
  return {
    password: await sessionSecret(sessions),
    cookieName: SESSION_COOKIE,
    // The seal expires with the record; iron-session has the browser drop the cookie 60 s earlier.
    ttl: SESSION_LIFETIME_SECONDS,
    cookieOptions: { httpOnly: true, sameSite: "lax", secure, path: "/" },
  };
}

const isHttps = (request?: Request) =>
  env().PUBLIC_BASE_URL?.startsWith("https://") === true ||
  request?.headers.get("x-forwarded-proto") === "https" ||
  (request ? new URL(request.url).protocol === "https:" : false);

export async function ownerSession(sessions: SessionStore, request?: Request) {
  return getIronSession<OwnerSession>(await cookies(), await sessionOptions(sessions, isHttps(request)));
}

/**
 * The id of the request's session if it is open: sealed for the current password, and its
 * record on the server neither signed out nor expired.
 */
export async function liveSessionId(sessions: SessionStore): Promise<string | undefined> {
  const password = env().APP_PASSWORD;
  if (!password) return undefined;
  const session = await ownerSession(sessions);
  if (session.passwordVersion !== passwordVersion(password) || !session.sessionId) return undefined;
  const record = await sessions.find(session.sessionId);
  return record && isLive(record, new Date()) ? record.id : undefined;
}

/** True when no password is configured, or the request carries an open session. */
export async function hasOwnerSession(sessions: SessionStore): Promise<boolean> {
  if (!env().APP_PASSWORD) return true;
  return (await liveSessionId(sessions)) !== undefined;
}
