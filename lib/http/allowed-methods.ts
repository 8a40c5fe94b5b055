/**
 * Which methods each address answers, for a clean 405 with an `Allow` header before a
 * request reaches Next. Next cannot represent some methods at all (TRACE, TRACK and
 * CONNECT are forbidden in a fetch `Request`, so it fails with a 500 and a stack trace),
 * answers others (PROPFIND, MKCOL, ...) on an API route with a bare 400, renders pages
 * for any method, and leaves `Allow` off its own 405s.
 *
 * The API table must list every `app/api/**\/route.ts` with its exported methods;
 * tests/integration/methods.test.ts checks it against the files and against Next's own
 * OPTIONS answers.
 */
export const API_ROUTES: ReadonlyArray<readonly [pattern: string, methods: readonly string[]]> = [
  ["/api/callbacks/vtrix/[secret]", ["POST"]],
  ["/api/generations", ["GET", "POST"]],
  ["/api/generations/totals", ["GET"]],
  ["/api/generations/[id]", ["GET", "PATCH", "DELETE"]],
  ["/api/generations/[id]/events", ["GET"]],
  ["/api/generations/[id]/poster", ["GET"]],
  ["/api/generations/[id]/rerun", ["POST"]],
  ["/api/generations/[id]/share", ["POST", "DELETE"]],
  ["/api/generations/[id]/video", ["GET"]],
  ["/api/health", ["GET"]],
  ["/api/session", ["POST", "DELETE"]],
  ["/api/share/[token]/poster", ["GET"]],
  ["/api/share/[token]/video", ["GET"]],
];

/** The methods Next routes; anything else is refused before it gets there. */
const ROUTED_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);
const PAGE_METHODS = ["GET", "HEAD", "OPTIONS"];

export type MethodDecision =
  /** Let Next answer. */
  | { kind: "pass" }
  /** Answer 405; `allow` is absent when the address is unknown. */
  | { kind: "not-allowed"; allow?: string; api: boolean }
  /** OPTIONS on a page: 204 with `Allow`. */
  | { kind: "options"; allow: string };

const allowHeader = (methods: readonly string[]) => {
  const all = new Set([...methods, "OPTIONS"]);
  if (all.has("GET")) all.add("HEAD");
  return [...all].sort().join(", ");
};

const segments = (path: string) => path.split("/").filter(Boolean);

function apiMethods(pathname: string): readonly string[] | undefined {
  const actual = segments(pathname);
  // A literal segment beats a [param] (as in Next): /api/generations/totals is not an id.
  const candidates = API_ROUTES.filter(([pattern]) => {
    const expected = segments(pattern);
    return expected.length === actual.length && expected.every((part, i) => part.startsWith("[") || part === actual[i]);
  });
  const literalCount = (pattern: string) => segments(pattern).filter((part) => !part.startsWith("[")).length;
  candidates.sort((a, b) => literalCount(b[0]) - literalCount(a[0]));
  return candidates[0]?.[1];
}

export function decideMethod(method: string, rawPath: string): MethodDecision {
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
