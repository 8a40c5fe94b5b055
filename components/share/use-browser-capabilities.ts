"use client";

import { useSyncExternalStore } from "react";

const noSubscription = () => () => undefined;

/**
 * What only the browser knows, read without touching `window` during server rendering:
 * the server renders with `null`/`false`, and the browser fills the values in right
 * after hydration (without a hydration mismatch).
 */
export function useBrowserOrigin(): string | null {
  return useSyncExternalStore(
    noSubscription,
    () => window.location.origin,
    () => null,
  );
}

export function useCanShareNatively(): boolean {
  return useSyncExternalStore(
    noSubscription,
    () => typeof navigator.share === "function",
    () => false,
  );
}

/**
 * A share link to show and copy: already absolute when the server knows its public
 * origin (PUBLIC_BASE_URL); otherwise a path, made absolute once the browser knows
 * which origin it is on.
 */
export function shareLinkFor(shareUrl: string, origin: string | null): string {
  if (!shareUrl.startsWith("/") || origin === null) return shareUrl;
  return new URL(shareUrl, origin).toString();
}
