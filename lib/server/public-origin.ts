import "server-only";
import { headers } from "next/headers";
import { env } from "@/lib/env";

/** PUBLIC_BASE_URL when configured; otherwise the origin this request reached us on. */
export async function publicOrigin(): Promise<string> {
  const configured = env().PUBLIC_BASE_URL;
  if (configured) return configured;
  const requestHeaders = await headers();
  const host = requestHeaders.get("host") ?? `localhost:${env().PORT}`;
  const protocol = requestHeaders.get("x-forwarded-proto") === "https" ? "https" : "http";
  return `${protocol}://${host}`;
}
