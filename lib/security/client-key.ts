import { CLIENT_HEADER, FRONT_DOOR_MARK } from "./front-door.mjs";

/** Requests that did not come through scripts/server.mjs (e.g. `next dev`) all count as one client. */
const UNKNOWN_CLIENT = "unknown";

/**
 * Who is asking, for per-client limits: the key scripts/server.mjs set from the
 * connection's address, or from X-Forwarded-For only when the connection comes from a
 * TRUSTED_PROXIES proxy. It deletes any copy a client sent first; without that server in
 * front (the mark is missing) the header could be the client's own, so it is ignored.
 */
export function clientKey(request: Request): string {
  if (!(globalThis as Record<symbol, unknown>)[FRONT_DOOR_MARK]) return UNKNOWN_CLIENT;
  const key = request.headers.get(CLIENT_HEADER);
  return key && key.length <= 64 ? key : UNKNOWN_CLIENT;
}
