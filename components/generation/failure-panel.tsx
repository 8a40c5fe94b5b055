"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useRef } from "react";
import { generationsApi } from "@/lib/client/generations-api";
import { newIdempotencyKey } from "@/lib/client/idempotency-key";
import type { GenerationView } from "@/lib/contracts/generation";
import { primaryButton, secondaryButton } from "./styles";

/**
 * Why it failed, in the server's words, and a retry with the same crop, prompt and
 * options. The retry has its own idempotency key (a new task is the point), kept until
 * the server answers, so a double click still makes only one.
 */
export function FailurePanel({ generation }: { generation: GenerationView }) {
  const router = useRouter();
  const retryKey = useRef<string | null>(null);
  const retry = useMutation({
    mutationFn: () => {
      retryKey.current ??= newIdempotencyKey("retry");
      return generationsApi.rerun(generation.id, retryKey.current);
    },
    onSuccess: (created) => router.push(`/g/${created.id}`),
  });

  return (
    <div className="flex flex-col gap-3">
      <p role="alert" className="text-neutral-800 dark:text-neutral-200" data-testid="failure-message">
        {generation.error?.message ?? "The provider did not say why."}
      </p>
      <div className="flex flex-wrap gap-2">
        <button type="button" onClick={() => retry.mutate()} disabled={retry.isPending} className={primaryButton} data-testid="retry">
          {retry.isPending ? "Starting again…" : "Retry with the same photo and prompt"}
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
