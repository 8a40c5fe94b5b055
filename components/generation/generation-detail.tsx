"use client";

import Link from "next/link";
import { useMemo } from "react";
import { LoopDownloads } from "@/components/share/loop-downloads";
import { ShareControls } from "@/components/share/share-controls";
import { isFinalStatus, type GenerationView as Generation } from "@/lib/contracts/generation";
import { formatUsd } from "@/lib/contracts/money";
import { VIDEO_SPEC } from "@/lib/contracts/video-spec";
import { FailurePanel } from "./failure-panel";
import { ProgressPanel } from "./progress-panel";
import { ResultPlayer } from "./result-player";
import { primaryButton, secondaryButton } from "./styles";
import { EndedState } from "@/components/ui/ended-state";
import { useGeneration } from "./use-generation";
import { NotifyButton } from "@/components/takes/notify-button";
import { useDoneNotifications } from "@/components/takes/use-done-notifications";
import { loopsPath, takeSetPagePath } from "@/lib/contracts/paths";

const HEADING: Record<Generation["status"], string> = {
  queued: "Making your video",
  processing: "Making your video",
  succeeded: "Your video is ready",
  failed: "This one did not work",
};

/** One generation: progress while it runs, then the player, download and sharing; or the reason it failed. */
/** `inlinePoster`: the video's preview frame as a data URL, when the server had it (shows with the first paint). */
export function GenerationDetail({ id, initial, inlinePoster }: { id: string; initial: Generation; inlinePoster?: string | null }) {
  const { query, ended } = useGeneration(id, initial);
  const generation = query.data ?? initial;
  const running = !isFinalStatus(generation.status);
  // Takes and queue: a video finishing in a background tab shows in the title (and a notification, if allowed).
  useDoneNotifications(useMemo(() => [{ id: generation.id, status: generation.status }], [generation.id, generation.status]));

  // Deleted or signed out: the old view (a player, a download) must not stay on screen.
  if (ended) return <EndedState reason={ended} subject="video" />;

  return (
    <div className="grid gap-8 md:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]" data-testid="generation" data-status={generation.status}>
      <ResultPlayer generation={generation} inlinePoster={inlinePoster} />

      <div className="flex flex-col gap-6">
        <div className="flex flex-col gap-2">
          <h1
            className={`text-2xl font-bold tracking-tight ${
              generation.status === "succeeded"
                ? "text-emerald-800 dark:text-emerald-300"
                : generation.status === "failed"
                  ? "text-red-800 dark:text-red-300"
                  : "text-neutral-900 dark:text-neutral-50"
            }`}
            data-testid="generation-heading"
          >
            {HEADING[generation.status]}
          </h1>
          {generation.prompt ? <p className="text-neutral-700 dark:text-neutral-300">“{generation.prompt}”</p> : null}
        </div>

        {running ? <ProgressPanel generation={generation} /> : null}
        {running ? <NotifyButton className={secondaryButton} /> : null}
        {generation.takeSetId ? (
          <Link
            href={takeSetPagePath(generation.takeSetId)}
            className="text-sm font-medium text-indigo-700 underline-offset-2 hover:underline dark:text-indigo-300"
            data-testid="compare-link"
          >
            Compare with the other takes
          </Link>
        ) : null}
        {query.isError ? (
          <p role="status" className="text-sm text-amber-800 dark:text-amber-300">
            Lost contact with the server; trying again… ({query.error.message})
          </p>
        ) : null}

        {generation.status === "succeeded" ? (
          <>
            <div className="flex flex-wrap gap-2">
              {generation.downloadUrl ? (
                <a href={generation.downloadUrl} download className={primaryButton} data-testid="download">
                  <DownloadIcon />
                  Download MP4
                </a>
              ) : null}
              <Link href="/" className={secondaryButton}>
                Animate another
              </Link>
            </div>
            <LoopDownloads base={loopsPath(generation.id)} owner />
            <ShareControls generation={generation} />
          </>
        ) : null}

        {generation.status === "failed" ? <FailurePanel generation={generation} /> : null}

        <p className="text-xs text-neutral-600 dark:text-neutral-400">
          {`${VIDEO_SPEC.durationSeconds} seconds · ${VIDEO_SPEC.resolution}`}
          {generation.cost ? ` · cost ${formatUsd(generation.cost)}` : ""}
          {generation.mode === "demo" ? " · simulated in demo mode" : ""}
        </p>
      </div>
    </div>
  );
}

function DownloadIcon() {
  return (
    <svg
      aria-hidden
      width="16"
      height="16"
      viewBox="0 0 16 16"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.75"
      strokeLinecap="round"
      strokeLinejoin="round"
    >
      <path d="M8 2v8m0 0 3-3m-3 3L5 7M2.5 12.5v1h11v-1" />
    </svg>
  );
}
