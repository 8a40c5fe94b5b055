"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useId, useRef } from "react";
import { primaryButton, secondaryButton } from "@/components/generation/styles";
import type { EndReason } from "@/lib/client/page-end";

const DELETED: Record<"video" | "takes", { heading: string; line: string }> = {
  video: { heading: "This video was deleted", line: "It was removed from your history, perhaps in another tab or on another device." },
  takes: { heading: "These takes were deleted", line: "They were removed from your history, perhaps in another tab or on another device." },
};

/**
 * What an owner page shows in place of its body once it can show nothing more: the thing was
 * deleted, or the session ended. Calm, with the way on; never the old view.
 */
export function EndedState({ reason, subject }: { reason: EndReason; subject: "video" | "takes" }) {
  const pathname = usePathname();
  const headingId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  // The page under the reader's focus has gone (a button may have held it): move focus to what replaced it.
  useEffect(() => heading.current?.focus(), []);

  const text =
    reason === "deleted"
      ? DELETED[subject]
      : { heading: "You were signed out", line: "This browser's session ended, perhaps in another tab. Sign in again to come back to this page." };

  return (
    <section
      aria-labelledby={headingId}
      className="mx-auto flex w-full max-w-lg flex-col items-center gap-6 rounded-2xl border border-neutral-200 bg-white px-6 py-10 text-center sm:px-10 dark:border-neutral-800 dark:bg-neutral-900"
      data-testid="ended-state"
      data-reason={reason}
    >
      <span
        aria-hidden
        className="flex h-12 w-12 items-center justify-center rounded-full bg-neutral-100 text-neutral-600 dark:bg-neutral-800 dark:text-neutral-300"
      >
        {reason === "deleted" ? <BinIcon /> : <LockIcon />}
      </span>
      <div role="status" className="flex flex-col gap-2">
        <h1 id={headingId} ref={heading} tabIndex={-1} className="text-2xl font-bold tracking-tight text-neutral-900 outline-none dark:text-neutral-50">
          {text.heading}
        </h1>
        <p className="text-neutral-700 dark:text-neutral-300">{text.line}</p>
      </div>
      <div className="flex w-full flex-col gap-2 sm:w-auto sm:flex-row">
        {reason === "deleted" ? (
          <>
            <Link href="/" className={primaryButton}>
              Start a new video
            </Link>
            <Link href="/history" className={secondaryButton}>
              Open your history
            </Link>
          </>
        ) : (
          // A full page load: nothing of the ended session stays in this tab's caches.
          <a href={`/login?next=${encodeURIComponent(pathname)}`} className={primaryButton}>
            Sign in again
          </a>
        )}
      </div>
    </section>
  );
}

function BinIcon() {
  return (
    <svg width="22" height="22" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.75" strokeLinecap="round" strokeLinejoin="round">
      <path d="M4 7h16M10 11v6M14 11v6M6 7l1 12a2 2 0 0 0 2 2h6a2 2 0 0 0 2-2l1-12M9 7V4h6v3" />
    </svg>
  );
}

function LockIcon() {
  return (
    <svg width="22" height="22" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.75" strokeLinecap="round" strokeLinejoin="round">
      <rect x="5" y="11" width="14" height="10" rx="2" />
      <path d="M8 11V7a4 4 0 0 1 8 0v4" />
    </svg>
  );
}
