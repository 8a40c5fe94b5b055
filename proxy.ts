import { NextResponse, type NextRequest } from "next/server";
import { contentSecurityPolicy, EMBED_PATH, SECURITY_HEADERS } from "./lib/security/content-security-policy";

/** A shared video's page, /s/{token}: its player (/embed) answers dead links itself. */
const SHARE_PAGE_PATH = /^\/s\/([^/]+)\/?$/;

/** A path segment as the page's params get it; a broken escape stays as sent (and is no token). */
function safelyDecoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * A dead share link's page, answered here because a page cannot answer 410 Gone: the branded
 * page with this request's policy, or undefined for a live link (the page renders it).
 */
async function endedSharePage(request: NextRequest, policy: string): Promise<NextResponse | undefined> {
  const token = SHARE_PAGE_PATH.exec(request.nextUrl.pathname)?.[1];
  if (token === undefined || (request.method !== "GET" && request.method !== "HEAD")) return undefined;
  const [{ shareLinkStateOf }, { endedSharePageHtml, endedShareStatus }] = await Promise.all([
    import("./lib/server/ended-share-link"),
    import("./lib/share/ended-share-page"),
  ]);
  const state = await shareLinkStateOf(safelyDecoded(token));
  if (state === "live") return undefined;
  const headers = new Headers({ "Content-Type": "text/html; charset=utf-8", "Content-Security-Policy": policy, "Cache-Control": "no-cache" });
  for (const { key, value } of SECURITY_HEADERS) headers.set(key, value);
  return new NextResponse(request.method === "HEAD" ? null : endedSharePageHtml({ framed: false }), { status: endedShareStatus(state), headers });
}

/**
 * Gives every page a fresh CSP nonce (Next applies it to its own scripts). Access
 * control is not done here: pages and route handlers check the session themselves.
 */
export async function proxy(request: NextRequest) {
  // The embeddable player sets its own, framable policy (app/s/[token]/embed/route.ts).
  if (EMBED_PATH.test(request.nextUrl.pathname)) return NextResponse.next();
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const policy = contentSecurityPolicy(nonce, {
    development: process.env.NODE_ENV === "development",
    https: request.nextUrl.protocol === "https:" || request.headers.get("x-forwarded-proto") === "https",
  });
  const ended = await endedSharePage(request, policy);
  if (ended) return ended;
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
