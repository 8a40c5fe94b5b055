import "server-only";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { ApiError } from "@/lib/errors";
import { env } from "@/lib/env";
import { hasOwnerSession, liveSessionId, type SessionStore } from "./session";
import { assertSameOrigin } from "./same-origin";

/**
 * Checked inside every private route handler and page (not only in proxy.ts), so a
 * request that slips past the proxy still gets nothing. Answers the open session's id
 * (undefined when the install has no password), for answers that outlive the request.
 */
export async function requireOwner(sessions: SessionStore, request: Request, options: { mutation?: boolean } = {}): Promise<string | undefined> {
  if (options.mutation) assertSameOrigin(request);
  if (!env().APP_PASSWORD) return undefined;
  const sessionId = await liveSessionId(sessions);
  if (!sessionId) throw new ApiError("unauthorized", "Sign in to use Portrait Live on this server.");
  return sessionId;
}

/** For pages: send visitors without a session to the login page. */
export async function requireOwnerPage(sessions: SessionStore, returnTo: string): Promise<void> {
  // Decided per request, never at build time (and each page gets its own CSP nonce).
  await connection();
  if (!(await hasOwnerSession(sessions))) redirect(`/login?next=${encodeURIComponent(returnTo)}`);
}
