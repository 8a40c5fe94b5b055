import "server-only";
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import type { LookupFunction } from "node:net";
import { destinationAllowed, RefusedDestinationError } from "./result-destination";

/** Resolves a host name to all its addresses (node:dns by default; tests pass their own). */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) => dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))));

/**
 * A `lookup` for node:http/https sockets that resolves the name and hands the socket only
 * the addresses a result download may reach, so the check happens where the connection is
 * made: every redirect hop resolves again, and a name cannot resolve to something else
 * between our check and the connect (DNS rebinding).
 */
export function guardedLookup(protocol: string, allowInsecure: boolean, resolver: Resolver = systemResolver): LookupFunction {
  return (hostname, options, callback) => {
    resolver(hostname).then(
      (addresses) => {
        const wanted = options.family === 4 || options.family === 6 ? addresses.filter((entry) => entry.family === options.family) : addresses;
        const allowed = wanted.filter((entry) => destinationAllowed(entry.address, protocol, allowInsecure));
        const first = allowed[0];
        if (!first) return callback(new RefusedDestinationError(hostname), "", 0);
        if (options.all) return (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, allowed);
        callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, "", 0),
    );
  };
}
