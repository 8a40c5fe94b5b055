import type { GenerationView } from "@/lib/contracts/generation";
import { QueuePlace } from "@/components/takes/queue-place";
import { Elapsed } from "./elapsed";

function stage(generation: GenerationView): { title: string; next: string } {
  const typical = generation.mode === "demo" ? "about 10 seconds in demo mode" : "usually 2–4 minutes";
  if (generation.status === "queued" && generation.queuePosition !== undefined) {
    return {
      title: "Waiting for a free slot",
      next: `Other videos are being made first; yours starts by itself when a slot frees. Generation then takes ${typical}.`,
    };
  }
  if (generation.status === "queued") {
    return { title: "Waiting for the provider to start", next: `Your portrait is in the queue. Generation takes ${typical}.` };
  }
  if (generation.progress !== null && generation.progress >= 1) {
    return { title: "Saving your video", next: "The video is done; we are copying it to this server so its links never expire." };
  }
  return {
    title: "Animating your portrait",
    next: `This takes ${typical}. You can leave this page: the server keeps working and the video will be in your history.`,
  };
}

/** Stage, progress (when the provider reports it), elapsed time and what happens next. */
export function ProgressPanel({ generation }: { generation: GenerationView }) {
  const { title, next } = stage(generation);
  const percent = generation.progress === null ? null : Math.round(generation.progress * 100);
  return (
    <div className="flex flex-col gap-3" data-testid="progress-panel">
      <div className="flex items-baseline justify-between gap-4">
        <p className="text-base font-semibold text-neutral-900 dark:text-neutral-50" data-testid="stage" aria-live="polite">
          {title}
        </p>
        <p className="text-sm text-neutral-600 dark:text-neutral-400">
          Elapsed <Elapsed since={generation.createdAt} />
        </p>
      </div>
      <div
        role="progressbar"
        aria-label="Generation progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent ?? undefined}
        aria-valuetext={percent === null ? "In progress" : `${percent}%`}
        className="h-2 w-full overflow-hidden rounded-full bg-neutral-200 dark:bg-neutral-800"
      >
        <div
          className={`h-full rounded-full bg-indigo-600 transition-[width] duration-700 ${percent === null ? "w-1/3 animate-pulse" : ""}`}
          style={percent === null ? undefined : { width: `${Math.max(3, percent)}%` }}
        />
      </div>
      <p className="text-sm text-neutral-600 dark:text-neutral-400">{next}</p>
      <QueuePlace generation={generation} />
      {generation.notice ? (
        // Why it is waiting (storage full, download being retried): nothing for the user to do, but worth knowing.
        <p role="status" data-testid="notice" className="rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100">
          {generation.notice.message}
        </p>
      ) : null}
    </div>
  );
}
