import "server-only";
import { env } from "@/lib/env";
import { allowedHostNames, isAllowedHost } from "./front-door.mjs";

let names: Set<string> | undefined;

/**
 * Whether a Host header names this app: PUBLIC_BASE_URL's host, ALLOWED_HOSTS, an IP
 * literal or localhost (the same rule the server applies before routing).
 */
export function isOwnHost(host: string | null | undefined): boolean {
  names ??= allowedHostNames({ publicBaseUrl: env().PUBLIC_BASE_URL, allowedHosts: env().ALLOWED_HOSTS });
  return isAllowedHost(host, names);
}
