"use client";

import { useCallback } from "react";
import { STATUS_LABEL } from "@/components/history/format";
import { useRerun, VideoActions } from "@/components/generation/video-actions";
import { cardAction, ErrorAlert } from "@/components/ui/card";
import type { GenerationView } from "@/lib/contracts/generation";
import { QueuePlace } from "./queue-place";
import { PortraitStill } from "@/components/ui/portrait-still";

/** One take in the comparison: its state while it runs, then its (synchronised) video and actions. */
export function TakeCard({
  take,
  index,
  favourite,
  onFavourite,
  busy,
  register,
}: {
  take: GenerationView;
  index: number;
  favourite: boolean;
  onFavourite: () => void;
  busy: boolean;
  register: (id: string, video: HTMLVideoElement | null) => void;
}) {
  const rerun = useRerun(take.id);
  // A stable ref: a new callback on each render would re-register (and re-seek) the video every time.
  const videoRef = useCallback((element: HTMLVideoElement | null) => register(take.id, element), [register, take.id]);
  const percent = take.progress === null ? null : Math.round(take.progress * 100);
  const running = take.status === "queued" || take.status === "processing";

  return (
    <li
      className={`flex flex-col overflow-hidden rounded-2xl border bg-white dark:bg-neutral-900 ${favourite ? "border-amber-400 ring-2 ring-amber-300 dark:border-amber-500" : "border-neutral-200 dark:border-neutral-800"}`}
      data-testid="take"
      data-generation-id={take.id}
      data-status={take.status}
      data-favourite={favourite ? "true" : "false"}
    >
      <div className="flex aspect-[3/4] items-center justify-center bg-neutral-900">
        {take.videoUrl ? (
          <video
            ref={videoRef}
            src={take.videoUrl}
            poster={take.inputUrl ?? undefined}
            loop
            muted
            playsInline
            preload="auto"
            className="h-full w-full object-contain"
            aria-label={`Take ${index + 1}`}
            data-testid="take-video"
          />
        ) : (
          <PortraitStill
            src={take.inputUrl}
            alt={`Take ${index + 1}, not ready yet`}
            className={`h-full w-full object-contain ${take.status === "failed" ? "opacity-60 grayscale" : "motion-safe:animate-pulse"}`}
          />
        )}
      </div>
      <div className="flex flex-1 flex-col gap-2 p-3">
        <div className="flex items-center justify-between gap-2">
          <span className="text-sm font-semibold text-neutral-900 dark:text-neutral-50">Take {index + 1}</span>
          <span className="text-xs font-medium text-neutral-600 dark:text-neutral-400" data-testid="take-status">
            {take.status === "queued" && take.queuePosition !== undefined ? "Waiting for a slot" : STATUS_LABEL[take.status]}
            {running && percent !== null ? ` · ${percent}%` : ""}
          </span>
        </div>
        {running ? (
          <div
            role="progressbar"
            aria-label={`Take ${index + 1} progress`}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={percent ?? undefined}
            className="h-1.5 w-full overflow-hidden rounded-full bg-neutral-200 dark:bg-neutral-800"
          >
            <div
              className={`h-full rounded-full bg-indigo-600 ${percent === null ? "w-1/4 animate-pulse" : ""}`}
              style={percent === null ? undefined : { width: `${Math.max(3, percent)}%` }}
            />
          </div>
        ) : null}
        <QueuePlace generation={take} />
        <p className="text-sm text-neutral-800 dark:text-neutral-100" data-testid="take-prompt">
          {take.prompt}
        </p>
        {take.error ? (
          <p className="text-sm text-red-700 dark:text-red-400" data-testid="take-error">
            {take.error.message}
          </p>
        ) : null}
        <div className="mt-auto flex flex-wrap gap-1">
          {take.status === "succeeded" ? (
            <button type="button" className={cardAction} aria-pressed={favourite} onClick={onFavourite} disabled={busy} data-testid="take-favourite">
              {favourite ? "★ Favourite" : "☆ Make favourite"}
            </button>
          ) : null}
          <VideoActions generation={take} rerun={running ? null : rerun} testIds={{ download: "take-download", rerun: "take-rerun" }} />
        </div>
        <ErrorAlert error={rerun.error} />
      </div>
    </li>
  );
}
