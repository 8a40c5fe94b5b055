import { isIP } from "node:net";
import ipaddr from "ipaddr.js";

export type AddressKind = "public" | "loopback" | "internal";

/**
 * What kind of network an IP address belongs to. Only ordinary global unicast counts as
 * public: private, link-local (cloud metadata), unique-local, carrier-grade NAT,
 * unspecified, multicast, reserved and the IPv6 forms that embed an IPv4 address
 * (mapped, compatible, 6to4, NAT64, Teredo) are internal, except mapped or compatible
 * loopback, which is loopback.
 */
export function classifyAddress(address: string): AddressKind {
  const bare = address.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  if (!isIP(bare)) return "internal";
  let parsed = ipaddr.parse(bare);
  if (parsed.kind() === "ipv6") {
    const v6 = parsed as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) parsed = v6.toIPv4Address();
    // ::a.b.c.d (the old IPv4-compatible form), and :: and ::1 themselves.
    else if (v6.parts.slice(0, 6).every((part) => part === 0)) {
      if (v6.range() === "loopback") return "loopback";
      const embedded = ipaddr.fromByteArray(v6.toByteArray().slice(12)) as ipaddr.IPv4;
      return embedded.range() === "loopback" ? "loopback" : "internal";
    }
  }
  const range = parsed.range();
  if (range === "unicast") return "public";
  return range === "loopback" ? "loopback" : "internal";
}

/**
 * Whether a result download may connect to this address: public addresses over https;
 * with the test switch (ALLOW_INSECURE_RESULT_URLS) also loopback, where the fake CDN
 * runs, over http or https. Never anything internal.
 */
export function destinationAllowed(address: string, protocol: string, allowInsecure: boolean): boolean {
  const kind = classifyAddress(address);
  if (kind === "public") return protocol === "https:";
  return kind === "loopback" && allowInsecure && (protocol === "http:" || protocol === "https:");
}

/** A result link that leads to an address we do not connect to. */
export class RefusedDestinationError extends Error {
  readonly code = "ERESULTDESTINATION";
  constructor(readonly host: string) {
    super(`result link destination refused: ${host}`);
    this.name = "RefusedDestinationError";
  }
}
