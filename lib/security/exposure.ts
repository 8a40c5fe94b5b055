import "server-only";
import { env } from "@/lib/env";

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

/**
 * The address the server was told to bind: HOST for scripts/server.mjs (`npm start`), or
 * `next start -H/--hostname`; both bind every interface by default.
 */
function boundHost(argv: readonly string[] = process.argv, hostVariable = process.env.HOST): string | undefined {
  const index = argv.findIndex((arg) => arg === "-H" || arg === "--hostname");
  if (index >= 0) return argv[index + 1];
  const fromFlag = argv.find((arg) => arg.startsWith("--hostname="))?.slice("--hostname=".length);
  return fromFlag ?? (hostVariable?.trim() || undefined);
}

/** Anyone who can reach such a server can spend the key. */
export function openToTheNetwork(argv: readonly string[] = process.argv, hostVariable = process.env.HOST): boolean {
  if (env().APP_PASSWORD) return false;
  const host = boundHost(argv, hostVariable);
  return host === undefined || !LOOPBACK.has(host);
}

export const EXPOSURE_WARNING =
  "APP_PASSWORD is not set and the server listens beyond this machine: anyone who can reach it can spend your API key. Set APP_PASSWORD, or start with HOST=127.0.0.1.";
