"use client";

import Link from "next/link";
import type { GenerationView } from "@/lib/contracts/generation";
import { primaryButton, secondaryButton } from "./styles";
import { useRerun } from "./video-actions";

/**
 * Why it failed, in the server's words, and a retry with the same crop, prompt and
 * options. The retry has its own idempotency key (a new task is the point), kept while the
 * panel is on screen, so a double click, or a click while the new page loads, makes only one.
 */
export function FailurePanel({ generation }: { generation: GenerationView }) {
  const retry = useRerun(generation.id, "retry");

  return (
    <div className="flex flex-col gap-3">
      <p role="alert" className="text-neutral-800 dark:text-neutral-200" data-testid="failure-message">
        {generation.error?.message ?? "The provider did not say why."}
      </p>
      <div className="flex flex-wrap gap-2">
        <button type="button" onClick={() => retry.start()} disabled={retry.busy} className={primaryButton} data-testid="retry">
          {retry.busy ? "Starting again…" : "Retry with the same photo and prompt"}
        </button>
        <Link href="/" className={secondaryButton}>
          Start over
        </Link>
      </div>
      {retry.error ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {retry.error.message}
        </p>
      ) : null}
    </div>
  );
}
