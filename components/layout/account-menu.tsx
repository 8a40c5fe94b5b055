"use client";

import { useState } from "react";

const buttonClass =
  "rounded-lg px-3 py-1.5 font-medium text-neutral-700 hover:bg-neutral-100 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600 disabled:opacity-60 dark:text-neutral-200 dark:hover:bg-neutral-800";

/** Sign out of this browser, or end every session (a lost phone, a shared computer). */
export function SignOutButtons() {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function signOut(path: "/api/session" | "/api/sessions") {
    setPending(true);
    setError(null);
    try {
      const response = await fetch(path, { method: "DELETE" });
      if (response.ok || response.status === 401) {
        // A full page load, so nothing of the signed-out session stays in the browser (query and router caches).
        // eslint-disable-next-line @next/next/no-location-assign-relative-destination -- a client-side push would keep them
        window.location.assign("/login");
        return;
      }
      // The schema (and zod) load only on this rare path: the header is on every page's first load.
      const { apiErrorBodySchema } = await import("@/lib/contracts/api-error");
      const body = apiErrorBodySchema.safeParse(await response.json().catch(() => null));
      setError(body.success ? body.data.error.message : "Signing out failed. Please try again.");
    } catch {
      setError("The server could not be reached. Check your connection and try again.");
    }
    setPending(false);
  }

  return (
    <>
      <button type="button" className={buttonClass} disabled={pending} onClick={() => signOut("/api/session")}>
        Sign out
      </button>
      <button
        type="button"
        className={buttonClass}
        disabled={pending}
        onClick={() => signOut("/api/sessions")}
        title="End every session of this server, on all browsers and devices"
      >
        Sign out everywhere
      </button>
      {error ? (
        <p role="alert" className="w-full text-right text-sm text-red-700 dark:text-red-400">
          {error}
        </p>
      ) : null}
    </>
  );
}
