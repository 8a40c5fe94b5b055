/**
 * A route that moved: answers 308 to the same path with its last segment renamed, query
 * kept. Relative, so it never names a host; 308, so a client repeats the same method.
 */
export function movedRoute(fromSegment: string, toSegment: string): (request: Request) => Response {
  return (request) => {
    const { pathname, search } = new URL(request.url);
    const moved = pathname.replace(new RegExp(`/${fromSegment}$`), `/${toSegment}`);
    return new Response(null, { status: 308, headers: { Location: `${moved}${search}`, "Cache-Control": "no-store" } });
  };
}
