"use client";

import { useEffect, useId, useRef, useState } from "react";

const navButton =
  "flex items-center gap-1 rounded-lg px-2 py-1.5 font-medium text-neutral-700 hover:bg-neutral-100 sm:px-3 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600 dark:text-neutral-200 dark:hover:bg-neutral-800";
const item =
  "w-full rounded-lg px-3 py-2 text-left font-medium text-neutral-800 hover:bg-neutral-100 focus-visible:outline focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-indigo-600 disabled:opacity-60 dark:text-neutral-100 dark:hover:bg-neutral-800";

type SignOutPath = "/api/session" | "/api/sessions";

/** Ends the session(s) and loads the sign-in page; the reason in words when it could not. */
async function signOut(path: SignOutPath): Promise<string> {
  try {
    const response = await fetch(path, { method: "DELETE" });
    if (response.ok || response.status === 401) {
      // A full page load, so nothing of the signed-out session stays in the browser (query and router caches).
      // eslint-disable-next-line @next/next/no-location-assign-relative-destination -- a client-side push would keep them
      window.location.assign("/login");
      return "";
    }
    // The schema (and zod) load only on this rare path: the header is on every page's first load.
    const { apiErrorBodySchema } = await import("@/lib/contracts/api-error");
    const body = apiErrorBodySchema.safeParse(await response.json().catch(() => null));
    return body.success ? body.data.error.message : "Signing out failed. Please try again.";
  } catch {
    return "The server could not be reached. Check your connection and try again.";
  }
}

/**
 * The signed-in owner's menu: sign out of this browser, or end every session (a lost phone,
 * a shared computer). A disclosure button, so the header stays one row on a phone; Escape
 * or a click elsewhere closes it, and focus leaving it closes it too.
 */
export function AccountMenu() {
  const [open, setOpen] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const root = useRef<HTMLDivElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  const panelId = useId();

  useEffect(() => {
    if (!open) return;
    const onPointerDown = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      setOpen(false);
      toggle.current?.focus();
    };
    document.addEventListener("pointerdown", onPointerDown);
    document.addEventListener("keydown", onKeyDown);
    return () => {
      document.removeEventListener("pointerdown", onPointerDown);
      document.removeEventListener("keydown", onKeyDown);
    };
  }, [open]);

  async function choose(path: SignOutPath) {
    setPending(true);
    setError(null);
    const failure = await signOut(path);
    if (failure) setError(failure);
    setPending(false);
  }

  return (
    <div
      ref={root}
      className="relative"
      onBlur={(event) => {
        if (!root.current?.contains(event.relatedTarget as Node | null)) setOpen(false);
      }}
    >
      <button
        ref={toggle}
        type="button"
        className={navButton}
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((now) => !now)}
        data-testid="account-menu"
      >
        Account
        <svg aria-hidden viewBox="0 0 20 20" className={`h-4 w-4 transition-transform ${open ? "rotate-180" : ""}`} fill="currentColor">
          <path d="M5.3 7.3a1 1 0 0 1 1.4 0L10 10.6l3.3-3.3a1 1 0 1 1 1.4 1.4l-4 4a1 1 0 0 1-1.4 0l-4-4a1 1 0 0 1 0-1.4Z" />
        </svg>
      </button>
      <div
        id={panelId}
        hidden={!open}
        className="absolute right-0 top-full z-30 mt-1 w-64 rounded-xl border border-neutral-200 bg-white p-1 text-sm shadow-lg dark:border-neutral-700 dark:bg-neutral-900"
      >
        <button type="button" className={item} disabled={pending} onClick={() => choose("/api/session")}>
          Sign out
        </button>
        <button
          type="button"
          className={item}
          disabled={pending}
          onClick={() => choose("/api/sessions")}
          aria-label="Sign out everywhere"
          aria-describedby={`${panelId}-everywhere`}
        >
          Sign out everywhere
          <span id={`${panelId}-everywhere`} className="block text-xs font-normal text-neutral-600 dark:text-neutral-400">
            Ends every session, on all browsers and devices
          </span>
        </button>
        {error ? (
          <p role="alert" className="px-3 py-2 text-red-700 dark:text-red-400">
            {error}
          </p>
        ) : null}
      </div>
    </div>
  );
}
