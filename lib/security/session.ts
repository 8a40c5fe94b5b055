import "server-only";
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { getIronSession, type SessionOptions } from "iron-session";
import { cookies } from "next/headers";
import { env } from "@/lib/env";
import { passwordVersion } from "./password";

export interface OwnerSession {
  passwordVersion?: string;
}

export const SESSION_COOKIE = "portrait_live_session";

let secret: string | undefined;

/** A random signing key kept in DATA_DIR, so sessions survive restarts without extra configuration. */
function sessionSecret(): string {
  if (secret) return secret;
  const file = path.join(path.resolve(env().DATA_DIR), "session-secret");
  try {
    secret = readFileSync(file, "utf8").trim();
  } catch {
    mkdirSync(path.dirname(file), { recursive: true });
    const fresh = randomBytes(32).toString("base64url");
    try {
      writeFileSync(file, fresh, { mode: 0o600, flag: "wx" });
      secret = fresh;
    } catch {
      // Another worker wrote it first.
      secret = readFileSync(file, "utf8").trim();
    }
  }
  return secret;
}

function sessionOptions(secure: boolean): SessionOptions {
  return {
    password: sessionSecret(),
    cookieName: SESSION_COOKIE,
    ttl: 30 * 24 * 60 * 60,
    cookieOptions: { httpOnly: true, sameSite: "lax", secure, path: "/" },
  };
}

const isHttps = (request?: Request) =>
  env().PUBLIC_BASE_URL?.startsWith("https://") === true ||
  request?.headers.get("x-forwarded-proto") === "https" ||
  (request ? new URL(request.url).protocol === "https:" : false);

export async function ownerSession(request?: Request) {
  return getIronSession<OwnerSession>(await cookies(), sessionOptions(isHttps(request)));
}

/** True when no password is configured, or the request carries a session for the current password. */
export async function hasOwnerSession(): Promise<boolean> {
  const password = env().APP_PASSWORD;
  if (!password) return true;
  const session = await ownerSession();
  return session.passwordVersion === passwordVersion(password);
}
