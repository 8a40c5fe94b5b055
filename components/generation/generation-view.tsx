"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useRef } from "react";
import { ShareControls } from "@/components/share/share-controls";
import { generationsApi } from "@/lib/client/generations-api";
import type { GenerationView as Generation } from "@/lib/contracts/generation";
import { ProgressPanel } from "./progress-panel";
import { useGeneration } from "./use-generation";

const secondary =
  "rounded-xl border border-neutral-300 px-4 py-2 text-sm font-semibold text-neutral-800 hover:bg-neutral-100 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 dark:border-neutral-700 dark:text-neutral-100 dark:hover:bg-neutral-800";
const primary =
  "rounded-xl bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-500 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:opacity-60";

/** One generation: progress while it runs, then the player, download and sharing; or the reason it failed. */
export function GenerationView({ id, initial }: { id: string; initial: Generation }) {
  const router = useRouter();
  const query = useGeneration(id, initial);
  const generation = query.data ?? initial;
  const retryKey = useRef<string | null>(null);
  const retry = useMutation({
    mutationFn: () => {
      retryKey.current ??= `retry-${crypto.randomUUID()}`;
      return generationsApi.rerun(id, retryKey.current);
    },
    onSuccess: (created) => router.push(`/g/${created.id}`),
  });

  return (
    <div className="grid gap-8 md:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]" data-testid="generation" data-status={generation.status}>
      <div className="flex justify-center overflow-hidden rounded-3xl bg-neutral-900">
        {generation.videoUrl ? (
          <video
            key={generation.videoUrl}
            src={generation.videoUrl}
            poster={generation.posterUrl}
            autoPlay
            loop
            muted
            playsInline
            controls
            className="max-h-[75dvh] w-auto max-w-full"
            aria-label="Your portrait video"
            data-testid="result-video"
          />
        ) : (
          // eslint-disable-next-line @next/next/no-img-element -- our own stored poster
          <img
            src={generation.posterUrl}
            alt="Your portrait"
            className={`max-h-[75dvh] w-auto max-w-full ${generation.status === "failed" ? "opacity-60" : "animate-pulse"}`}
          />
        )}
      </div>

      <div className="flex flex-col gap-6">
        {generation.prompt ? <p className="text-neutral-800 dark:text-neutral-200">“{generation.prompt}”</p> : null}
        {generation.status === "queued" || generation.status === "processing" ? <ProgressPanel generation={generation} /> : null}
        {query.isError ? (
          <p role="status" className="text-sm text-amber-800 dark:text-amber-300">
            Lost contact with the server; retrying… ({query.error.message})
          </p>
        ) : null}

        {generation.status === "succeeded" ? (
          <>
            <p className="text-lg font-semibold text-emerald-800 dark:text-emerald-300" data-testid="stage">
              Your video is ready
            </p>
            <div className="flex flex-wrap gap-2">
              {generation.downloadUrl ? (
                <a href={generation.downloadUrl} download className={primary} data-testid="download">
                  Download MP4
                </a>
              ) : null}
              <Link href="/" className={secondary}>
                Animate another
              </Link>
            </div>
            <ShareControls generation={generation} />
          </>
        ) : null}

        {generation.status === "failed" ? (
          <div className="flex flex-col gap-3">
            <p className="text-lg font-semibold text-red-800 dark:text-red-300">This one did not work</p>
            <p role="alert" className="text-neutral-800 dark:text-neutral-200" data-testid="failure-message">
              {generation.error?.message}
            </p>
            <div className="flex flex-wrap gap-2">
              <button type="button" onClick={() => retry.mutate()} disabled={retry.isPending} className={primary} data-testid="retry">
                {retry.isPending ? "Starting again…" : "Retry with the same photo and prompt"}
              </button>
              <Link href="/" className={secondary}>
                Start over
              </Link>
            </div>
            {retry.error ? (
              <p role="alert" className="text-sm text-red-700 dark:text-red-400">
                {retry.error.message}
              </p>
            ) : null}
          </div>
        ) : null}
        <p className="text-xs text-neutral-600 dark:text-neutral-400">
          6 seconds · 720P{generation.cost ? ` · cost $${generation.cost}` : ""}
          {generation.mode === "demo" ? " · simulated in demo mode" : ""}
        </p>
      </div>
    </div>
  );
}
