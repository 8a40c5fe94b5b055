/**
 * Who is asking, for per-client limits. Next records the peer address in
 * x-forwarded-for; a client can pre-fill that header, which is why the global limits,
 * the in-flight cap and the budget do not depend on it.
 */
export function clientKey(request: Request): string {
  const forwarded = request.headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded && forwarded.length <= 64 ? forwarded : "unknown";
}
