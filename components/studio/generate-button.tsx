"use client";

import type { UploadState } from "@/lib/client/crop-uploader";
import type { PaidIntentState } from "@/lib/client/paid-intent";
import { formatUsd } from "@/lib/contracts/money";
import { isBusy } from "@/components/ui/use-paid-intent";

const primary =
  "flex-1 rounded-2xl bg-indigo-600 px-4 py-3 text-base font-semibold sm:px-6 sm:text-lg text-white shadow-sm hover:bg-indigo-500 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:cursor-not-allowed disabled:bg-neutral-400 aria-busy:disabled:bg-indigo-500 dark:disabled:bg-neutral-700 dark:aria-busy:disabled:bg-indigo-700";
const cancel =
  "rounded-2xl border border-neutral-300 px-4 py-3 text-base font-semibold text-neutral-800 hover:bg-neutral-100 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 dark:border-neutral-700 dark:text-neutral-100 dark:hover:bg-neutral-800";

function label(state: PaidIntentState, takes: number, quoteUsd: string | null, upload: UploadState): string {
  const what = takes > 1 ? "takes" : "video";
  switch (state.phase) {
    case "idle":
    case "failed":
      return takes > 1 ? `Generate ${takes} takes${quoteUsd ? ` · about ${formatUsd(quoteUsd)}` : ""}` : "Generate video";
    case "waiting-for-connection":
      return "Waiting for the connection…";
    case "checking":
      return "Checking your last click…";
    case "opening":
      return `Opening your ${what}…`;
    case "preparing":
      if (upload.phase !== "ready") {
        const percent = upload.phase === "uploading" && upload.total > 0 ? ` ${Math.floor((100 * upload.loaded) / upload.total)}%` : "";
        return `Finishing the upload…${percent}`;
      }
      return `Starting your ${what}…`;
    case "sending":
      return `Starting your ${what}…`;
  }
}

function explanation(state: PaidIntentState, takes: number, upload: UploadState): string | null {
  const what = takes > 1 ? "takes start" : "video starts";
  if (state.phase === "waiting-for-connection")
    return `You are offline. Your ${what} as soon as the connection returns, exactly as set up here; nothing can be changed meanwhile.`;
  if (state.phase === "preparing" && upload.phase !== "ready") return `Your portrait is still uploading; the ${what} as soon as it is there.`;
  if (state.phase === "checking") return "The answer to your last click was lost: checking whether it started a video before starting this one.";
  return null;
}

/**
 * Generate, saying where the click is: waiting for the connection or the upload, starting,
 * opening the result. Busy from the click until the next page is shown; Cancel while
 * nothing has been sent yet.
 */
export function GenerateButton({
  state,
  takes,
  quoteUsd,
  upload,
  disabled,
  onGenerate,
  onCancel,
}: {
  state: PaidIntentState;
  takes: number;
  quoteUsd: string | null;
  upload: UploadState;
  disabled: boolean;
  onGenerate: () => void;
  onCancel: (() => void) | null;
}) {
  const busy = isBusy(state);
  return (
    <div className="flex flex-col gap-2">
      <div className="flex gap-2">
        <button
          type="button"
          onClick={onGenerate}
          disabled={disabled || busy}
          aria-busy={busy || undefined}
          className={primary}
          data-testid="generate"
          data-phase={state.phase}
        >
          {label(state, takes, quoteUsd, upload)}
        </button>
        {onCancel ? (
          <button type="button" onClick={onCancel} className={cancel} data-testid="generate-cancel">
            Cancel
          </button>
        ) : null}
      </div>
      <p role="status" className="text-sm text-neutral-600 dark:text-neutral-400" data-testid="generate-wait">
        {explanation(state, takes, upload)}
      </p>
    </div>
  );
}
