import { NextResponse, type NextRequest } from "next/server";
import { contentSecurityPolicy, EMBED_PATH } from "./lib/security/content-security-policy";

/**
 * Gives every page a fresh CSP nonce (Next applies it to its own scripts). Access
 * control is not done here: pages and route handlers check the session themselves.
 */
export function proxy(request: NextRequest) {
  // The embeddable player sets its own, framable policy (app/s/[token]/embed/route.ts).
  if (EMBED_PATH.test(request.nextUrl.pathname)) return NextResponse.next();
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const policy = contentSecurityPolicy(nonce, {
    development: process.env.NODE_ENV === "development",
    https: request.nextUrl.protocol === "https:" || request.headers.get("x-forwarded-proto") === "https",
  });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", policy);
  return response;
}

export const config = {
  // Pages only: API routes, build assets and public files get their headers from next.config.ts.
  // Prefetches too: a prefetched page is HTML like any other and must carry the policy.
  matcher: ["/((?!api/|_next/static|_next/image|favicon.ico|models/|readme/).*)"],
};
