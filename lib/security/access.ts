import "server-only";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { ApiError } from "@/lib/errors";
import { hasOwnerSession } from "./session";
import { assertSameOrigin } from "./same-origin";

/**
 * Checked inside every private route handler and page (not only in proxy.ts), so a
 * request that slips past the proxy still gets nothing.
 */
export async function requireOwner(request: Request, options: { mutation?: boolean } = {}): Promise<void> {
  if (options.mutation) assertSameOrigin(request);
  if (!(await hasOwnerSession())) {
    throw new ApiError("unauthorized", "Sign in to use Portrait Live on this server.");
  }
}

/** For pages: send visitors without a session to the login page. */
export async function requireOwnerPage(returnTo: string): Promise<void> {
  // Decided per request, never at build time (and each page gets its own CSP nonce).
  await connection();
  if (!(await hasOwnerSession())) redirect(`/login?next=${encodeURIComponent(returnTo)}`);
}
