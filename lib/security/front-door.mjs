// The checks every request passes before Next routes it (scripts/server.mjs runs them):
// which host name it asked for, and which client sent it. Plain JavaScript so the server
// script can run it without a build; the app imports the same functions (front-door.d.mts).
import { isIP } from "node:net";
import ipaddr from "ipaddr.js";
import proxyaddr from "proxy-addr";

/** The header the server sets (after deleting any copy a client sent) with the client's limit key. */
export const CLIENT_HEADER = "x-portrait-live-client";

/** Set on globalThis by the server script: only then is CLIENT_HEADER ours rather than the client's. */
export const FRONT_DOOR_MARK = Symbol.for("portrait-live.front-door");

/** Headers a proxy writes; from anyone else they are dropped, so Next and the app fill them from the socket. */
const FORWARDING_HEADERS = ["forwarded", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-port", "x-real-ip"];

const HOST_NAME = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

/**
 * TRUSTED_PROXIES: empty (no proxy: the connection's address is the client), a hop count
 * ("1": one proxy in front, whatever its address), or addresses and CIDR ranges separated
 * by commas, plus proxy-addr's names loopback, linklocal and uniquelocal.
 * @param {string | undefined} value
 * @returns {(address: string, hop: number) => boolean}
 */
export function parseTrustedProxies(value) {
  const trimmed = (value ?? "").trim();
  if (trimmed === "") return () => false;
  if (/^\d+$/.test(trimmed)) {
    const hops = Number(trimmed);
    return (_address, hop) => hop < hops;
  }
  const entries = trimmed
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  // proxy-addr throws a TypeError naming the entry it cannot read.
  return proxyaddr.compile(entries);
}

/**
 * The host names the app answers to: PUBLIC_BASE_URL's and ALLOWED_HOSTS' (comma-separated).
 * @param {{ publicBaseUrl?: string; allowedHosts?: string }} config
 * @returns {Set<string>}
 */
export function allowedHostNames(config) {
  const names = new Set();
  if (config.publicBaseUrl) names.add(normalizeName(new URL(config.publicBaseUrl).hostname));
  for (const entry of (config.allowedHosts ?? "").split(",")) {
    const name = normalizeName(entry.trim());
    if (name) names.add(name);
  }
  return names;
}

/** @param {string} name */
export function isValidHostName(name) {
  return HOST_NAME.test(normalizeName(name));
}

/** @param {string} name */
const normalizeName = (name) => name.toLowerCase().replace(/\.$/, "");

/**
 * A Host header the app may answer: a configured name, an IP literal or localhost, on any
 * port. DNS rebinding needs a name the attacker controls, so literals and localhost (which
 * browsers never look up in DNS) are safe to accept; any other name is not.
 * @param {string | undefined | null} host
 * @param {Set<string>} names
 */
export function isAllowedHost(host, names) {
  if (!host) return false;
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(host);
  if (!match) return false;
  const hostname = match[1];
  if (hostname.startsWith("[")) return isIP(hostname.slice(1, -1)) === 6;
  if (isIP(hostname) === 4) return true;
  const name = normalizeName(hostname);
  if (!HOST_NAME.test(name)) return false;
  return name === "localhost" || names.has(name);
}

/**
 * What per-client limits count: an IPv4 address, or an IPv6 address's /64 network (one
 * subscriber usually holds a whole /64, so single IPv6 addresses cost nothing to change).
 * @param {string} address
 */
export function clientKeyOf(address) {
  if (!ipaddr.isValid(address)) return "unknown";
  const parsed = ipaddr.process(address);
  if (parsed.kind() === "ipv4") return parsed.toString();
  const parts = /** @type {import("ipaddr.js").IPv6} */ (parsed).parts.slice(0, 4).map((part) => part.toString(16));
  return `${parts.join(":")}::/64`;
}

/**
 * @typedef {{ headers: Record<string, string | string[] | undefined>; socket: { remoteAddress?: string }; url?: string }} IncomingLike
 * @typedef {{ ok: true; client: string } | { ok: false; status: number; message: string }} Verdict
 */

/**
 * @param {{ trustedProxies?: string; publicBaseUrl?: string; allowedHosts?: string }} config
 */
export function createFrontDoor(config) {
  const trust = parseTrustedProxies(config.trustedProxies);
  const names = allowedHostNames(config);

  return {
    /**
     * Rewrites the request's headers in place and says whether to serve it.
     * @param {IncomingLike} request
     * @returns {Verdict}
     */
    admit(request) {
      const headers = request.headers;
      delete headers[CLIENT_HEADER];
      const peer = request.socket.remoteAddress ?? "";
      const viaProxy = trust(peer, 0);
      if (!viaProxy) for (const name of FORWARDING_HEADERS) delete headers[name];
      // proxy-addr walks X-Forwarded-For from the right, stopping at the first address it does not trust.
      const reported = viaProxy ? proxyaddr({ headers: { "x-forwarded-for": headers["x-forwarded-for"] }, socket: { remoteAddress: peer } }, trust) : peer;
      const client = clientKeyOf(ipaddr.isValid(reported ?? "") ? reported : peer);
      headers[CLIENT_HEADER] = client;

      const host = typeof headers.host === "string" ? headers.host : undefined;
      const forwardedHost = viaProxy && typeof headers["x-forwarded-host"] === "string" ? headers["x-forwarded-host"] : undefined;
      if (!isAllowedHost(host, names) || (forwardedHost !== undefined && !isAllowedHost(forwardedHost.split(",")[0]?.trim(), names))) {
        return {
          ok: false,
          status: 421,
          message: "This server does not answer to that host name. Open it by its configured address; its operator can add the name to ALLOWED_HOSTS.\n",
        };
      }
      // Absolute-form targets (RFC 9112 §3.2.2) name a host of their own; Next would build
      // redirects on it. Only the Host header's own authority is served, as a plain path.
      const target = request.url;
      if (typeof target === "string" && target !== "*" && !target.startsWith("/")) {
        const path = pathOfAbsoluteTarget(target, host ?? "");
        if (path === null) return { ok: false, status: 400, message: "The request line names another host than the Host header.\n" };
        request.url = path;
      }
      return { ok: true, client };
    },
  };
}

/**
 * The path and query of an absolute-form target whose authority is `host`; null for any other.
 * @param {string} target
 * @param {string} host
 */
function pathOfAbsoluteTarget(target, host) {
  let parsed;
  try {
    parsed = new URL(target);
  } catch {
    return null;
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return null;
  if (parsed.username || parsed.password) return null;
  const defaultPort = parsed.protocol === "https:" ? "443" : "80";
  const withPort = (authority) => (/:\d+$/.test(authority) && !authority.endsWith("]") ? authority : `${authority}:${defaultPort}`);
  if (withPort(parsed.host.toLowerCase()) !== withPort(host.toLowerCase())) return null;
  return `${parsed.pathname}${parsed.search}`;
}
