import "server-only";
import { randomBytes } from "node:crypto";
import { getIronSession, type SessionOptions } from "iron-session";
import { cookies } from "next/headers";
import { env } from "@/lib/env";
import { isLive, SESSION_LIFETIME_SECONDS } from "@/lib/sessions/session-policy";
import { services } from "@/lib/server/services";
import { passwordVersion } from "./password";

/** What the sealed cookie carries: which password it was opened with, and its record on the server. */
export interface OwnerSession {
  passwordVersion?: string;
  sessionId?: string;
}

const SESSION_COOKIE = "portrait_live_session";

let sealingKey: string | undefined;

/**
 * The key that seals session cookies: made once and kept in the store, so every instance
 * sharing the database accepts the same cookies.
 */
async function sessionSecret(): Promise<string> {
  sealingKey ??= await (await services()).sessions.sealingKey(randomBytes(32).toString("base64url"));
  return sealingKey;
}

async function sessionOptions(secure: boolean): Promise<SessionOptions> {
  return {
    password: await sessionSecret(),
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

export async function ownerSession(request?: Request) {
  return getIronSession<OwnerSession>(await cookies(), await sessionOptions(isHttps(request)));
}

/**
 * The id of the request's session if it is open: sealed for the current password, and its
 * record on the server neither signed out nor expired.
 */
export async function liveSessionId(): Promise<string | undefined> {
  const password = env().APP_PASSWORD;
  if (!password) return undefined;
  const session = await ownerSession();
  if (session.passwordVersion !== passwordVersion(password) || !session.sessionId) return undefined;
  const record = await (await services()).sessions.find(session.sessionId);
  return record && isLive(record, new Date()) ? record.id : undefined;
}

/** True when no password is configured, or the request carries an open session. */
export async function hasOwnerSession(): Promise<boolean> {
  if (!env().APP_PASSWORD) return true;
  return (await liveSessionId()) !== undefined;
}
