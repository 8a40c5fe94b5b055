// Which methods each address answers, for a clean 405 with an `Allow` header before a
// request reaches Next (scripts/server.mjs answers them). Next cannot represent some
// methods at all (TRACE, TRACK and CONNECT are forbidden in a fetch `Request`, so it fails
// with a 500 and a stack trace), answers others (PROPFIND, MKCOL, ...) on an API route with
// a bare 400, renders pages for any method, and leaves `Allow` off its own 405s.
// Plain JavaScript, like front-door.mjs, so the server script runs it without a build.
//
// The API table must list every `app/api/**/route.ts` with its exported methods;
// tests/integration/methods.test.ts checks it against the files and against Next's own
// OPTIONS answers.

/** @type {ReadonlyArray<readonly [pattern: string, methods: readonly string[]]>} */
export const API_ROUTES = [
  ["/api/callbacks/vtrix/[secret]", ["POST"]],
  ["/api/generations", ["GET", "POST"]],
  ["/api/generations/totals", ["GET"]],
  ["/api/generations/[id]", ["GET", "PATCH", "DELETE"]],
  ["/api/generations/[id]/cancel", ["POST"]],
  ["/api/generations/[id]/events", ["GET"]],
  ["/api/generations/[id]/frame", ["GET"]],
  ["/api/generations/[id]/input", ["GET"]],
  ["/api/generations/[id]/loops", ["GET", "POST", "PATCH"]],
  ["/api/generations/[id]/loops/[file]", ["GET"]],
  ["/api/generations/[id]/poster", ["GET"]],
  ["/api/generations/[id]/rerun", ["POST"]],
  ["/api/generations/[id]/share", ["POST", "PATCH", "DELETE"]],
  ["/api/generations/[id]/video", ["GET"]],
  ["/api/health", ["GET"]],
  ["/api/idempotency-keys/[key]", ["GET"]],
  ["/api/oembed", ["GET"]],
  ["/api/queue", ["GET"]],
  ["/api/session", ["POST", "DELETE"]],
  ["/api/sessions", ["DELETE"]],
  ["/api/share/[token]/frame", ["GET"]],
  ["/api/share/[token]/input", ["GET"]],
  ["/api/share/[token]/loops", ["GET", "POST"]],
  ["/api/share/[token]/loops/[file]", ["GET"]],
  ["/api/share/[token]/poster", ["GET"]],
  ["/api/share/[token]/video", ["GET"]],
  ["/api/takes", ["POST"]],
  ["/api/takes/[id]", ["GET", "PUT", "PATCH", "DELETE"]],
  ["/api/uploads", ["POST"]],
];

/** The methods Next routes; anything else is refused before it gets there. */
const ROUTED_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);
const PAGE_METHODS = ["GET", "HEAD", "OPTIONS"];

/** @param {readonly string[]} methods */
const allowHeader = (methods) => {
  const all = new Set([...methods, "OPTIONS"]);
  if (all.has("GET")) all.add("HEAD");
  return [...all].sort().join(", ");
};

/** @param {string} path */
const segments = (path) => path.split("/").filter(Boolean);

/** @param {string} pattern */
const literalCount = (pattern) => segments(pattern).filter((part) => !part.startsWith("[")).length;

/**
 * @param {string} pathname
 * @returns {readonly string[] | undefined}
 */
function apiMethods(pathname) {
  const actual = segments(pathname);
  // A literal segment beats a [param] (as in Next): /api/generations/totals is not an id.
  const candidates = API_ROUTES.filter(([pattern]) => {
    const expected = segments(pattern);
    return expected.length === actual.length && expected.every((part, i) => part.startsWith("[") || part === actual[i]);
  });
  candidates.sort((a, b) => literalCount(b[0]) - literalCount(a[0]));
  return candidates[0]?.[1];
}

/**
 * @typedef {{ kind: "pass" } | { kind: "not-allowed"; allow?: string; api: boolean } | { kind: "options"; allow: string }} MethodDecision
 */

/**
 * "pass": let Next answer; "not-allowed": 405 (`allow` is absent when the address is
 * unknown); "options": OPTIONS on a page, 204 with `Allow`.
 * @param {string} method
 * @param {string} rawPath
 * @returns {MethodDecision}
 */
export function decideMethod(method, rawPath) {
  const upper = method.toUpperCase();
  const pathname = rawPath.split("?")[0] ?? "/";
  if (pathname === "/api" || pathname.startsWith("/api/")) {
    const methods = apiMethods(pathname);
    if (!methods) return ROUTED_METHODS.has(upper) ? { kind: "pass" } : { kind: "not-allowed", api: true };
    const allowed = methods.includes(upper) || upper === "OPTIONS" || (upper === "HEAD" && methods.includes("GET"));
    return allowed ? { kind: "pass" } : { kind: "not-allowed", allow: allowHeader(methods), api: true };
  }
  // Pages, build assets and public files are read-only: the app has no server actions.
  if (upper === "GET" || upper === "HEAD") return { kind: "pass" };
  if (upper === "OPTIONS") return { kind: "options", allow: allowHeader(PAGE_METHODS) };
  return { kind: "not-allowed", allow: allowHeader(PAGE_METHODS), api: false };
}

/**
 * The answer for a decision other than "pass": status, headers and body.
 * @param {Exclude<MethodDecision, { kind: "pass" }>} decision
 * @returns {{ status: number; headers: Record<string, string>; body: string }}
 */
export function methodAnswer(decision) {
  /** @type {Record<string, string>} */
  const headers = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
  };
  if (decision.allow) headers.Allow = decision.allow;
  if (decision.kind === "options") return { status: 204, headers, body: "" };
  const body = decision.api
    ? JSON.stringify({ error: { code: "method_not_allowed", message: "This address does not accept that method." } })
    : "Method Not Allowed\n";
  headers["Content-Type"] = decision.api ? "application/json" : "text/plain; charset=utf-8";
  headers["Content-Length"] = String(Buffer.byteLength(body));
  return { status: 405, headers, body };
}
