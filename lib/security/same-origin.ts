import "server-only";
import { ApiError } from "@/lib/errors";
import { env } from "@/lib/env";
import { isOwnHost } from "./allowed-host";

/**
 * State-changing requests must come from our own pages. Browsers send Sec-Fetch-Site
 * and Origin on such requests; clients that send neither (curl, scripts) are not
 * browsers and cannot be used for cross-site request forgery.
 */
export function assertSameOrigin(request: Request): void {
  const site = request.headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") throw crossOrigin();
  const origin = request.headers.get("origin");
  if (origin === null) return;
  if (!allowedOrigins(request).has(origin)) throw crossOrigin();
}

function allowedOrigins(request: Request): Set<string> {
  const allowed = new Set<string>();
  const configured = env().PUBLIC_BASE_URL;
  if (configured) allowed.add(new URL(configured).origin);
  // Only a host name the app is configured for: a page on an attacker's name that resolves
  // here (DNS rebinding) sends that name as Host and as its Origin.
  const host = request.headers.get("host");
  if (host && isOwnHost(host)) {
    allowed.add(`http://${host}`);
    allowed.add(`https://${host}`);
  }
  return allowed;
}

const crossOrigin = () => new ApiError("forbidden", "Cross-origin requests cannot change anything here.");
