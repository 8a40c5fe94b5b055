import "server-only";
import { headers } from "next/headers";
import { env } from "@/lib/env";
import { isOwnHost } from "@/lib/security/allowed-host";

/**
 * PUBLIC_BASE_URL when configured; otherwise the origin this request reached us on, if its
 * Host names this app (absolute links are never built from a name the app does not own).
 */
export async function publicOrigin(): Promise<string> {
  const configured = env().PUBLIC_BASE_URL;
  if (configured) return configured;
  const requestHeaders = await headers();
  const asked = requestHeaders.get("host");
  const host = asked && isOwnHost(asked) ? asked : `localhost:${env().PORT}`;
  const protocol = requestHeaders.get("x-forwarded-proto") === "https" ? "https" : "http";
  return `${protocol}://${host}`;
}
