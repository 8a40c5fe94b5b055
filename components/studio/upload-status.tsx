"use client";

import type { UploadState } from "@/lib/client/crop-uploader";

const kb = (bytes: number) => `${Math.max(1, Math.round(bytes / 1024))} KB`;

/**
 * The crop's upload, said quietly: a short phrase that screen readers announce when the
 * phase changes (not on every percent), and a progress bar for the eye.
 */
export function UploadStatus({ state }: { state: UploadState }) {
  if (state.phase === "idle") return null;
  const message =
    state.phase === "pending" || state.phase === "encoding"
      ? "Preparing your framing…"
      : state.phase === "uploading"
        ? "Uploading your framing…"
        : state.phase === "retrying"
          ? "The upload was interrupted; trying again…"
          : state.phase === "ready"
            ? "Framing uploaded, ready to generate."
            : `This framing could not be uploaded: ${state.error.message}`;
  const fraction = state.phase === "uploading" && state.total > 0 ? state.loaded / state.total : null;
  return (
    <div
      className="flex items-center gap-3 text-sm"
      data-testid="upload-status"
      data-phase={state.phase}
      // Which framing this is about (its area in source pixels), for tests and benchmarks.
      data-area={state.key.split("#")[1]}
    >
      <p role="status" className={state.phase === "failed" ? "font-medium text-red-700 dark:text-red-400" : "text-neutral-600 dark:text-neutral-400"}>
        {state.phase === "ready" ? <span aria-hidden>✓ </span> : null}
        {message}
      </p>
      {state.phase === "uploading" ? (
        <progress
          className="h-1.5 w-24 overflow-hidden rounded-full accent-indigo-600"
          aria-label={`Upload, ${kb(state.loaded)} of ${kb(state.total)}`}
          max={1}
          value={fraction ?? undefined}
        />
      ) : null}
    </div>
  );
}
