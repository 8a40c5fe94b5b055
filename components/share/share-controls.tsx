"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { GenerationView } from "@/lib/contracts/generation";
import { generationsApi } from "@/lib/client/generations-api";
import { useCopy } from "@/components/history/use-copy";
import { shareLinkFor, useBrowserOrigin, useCanShareNatively } from "./use-browser-capabilities";

const button =
  "rounded-lg border border-neutral-300 px-3 py-1.5 text-sm font-medium text-neutral-800 hover:bg-neutral-100 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-indigo-600 disabled:opacity-50 dark:border-neutral-700 dark:text-neutral-100 dark:hover:bg-neutral-800";

/**
 * The owner's share settings for a finished video: copy or share the link, revoke it,
 * make a new one, and choose whether the public page shows the prompt.
 */
export function ShareControls({ generation }: { generation: GenerationView }) {
  const queryClient = useQueryClient();
  const { copied, failed, copy } = useCopy();
  // The switch moves the moment it is clicked and settles when the server answers.
  const [pendingShowPrompt, setPendingShowPrompt] = useState<boolean | null>(null);
  const update = useMutation({
    mutationFn: (change: "revoke" | "renew" | "togglePrompt") =>
      change === "revoke"
        ? generationsApi.revokeShareLink(generation.id)
        : change === "renew"
          ? generationsApi.renewShareLink(generation.id)
          : generationsApi.setHidePrompt(generation.id, !generation.hidePrompt),
    onSuccess: (updated) => {
      queryClient.setQueryData(["generation", generation.id], updated);
      void queryClient.invalidateQueries({ queryKey: ["generations"] });
    },
    onSettled: () => setPendingShowPrompt(null),
  });
  const origin = useBrowserOrigin();
  const link = generation.shareUrl ? shareLinkFor(generation.shareUrl, origin) : null;
  const showsPrompt = pendingShowPrompt ?? !generation.hidePrompt;
  const canShareNatively = useCanShareNatively();

  return (
    <section aria-labelledby="share-heading" className="flex flex-col gap-3" data-testid="share-controls">
      <h2 id="share-heading" className="text-sm font-semibold text-neutral-900 dark:text-neutral-100">
        Share
      </h2>
      {link ? (
        <div className="flex flex-wrap items-center gap-2">
          <input
            readOnly
            value={link}
            aria-label="Share link"
            data-testid="share-link"
            onFocus={(event) => event.currentTarget.select()}
            className="min-w-0 flex-1 rounded-lg border border-neutral-300 bg-neutral-50 px-3 py-1.5 text-sm text-neutral-800 dark:border-neutral-700 dark:bg-neutral-950 dark:text-neutral-200"
          />
          <button type="button" className={button} onClick={() => void copy(link)}>
            {copied ? "Copied" : failed ? "Copy failed" : "Copy link"}
          </button>
          {canShareNatively ? (
            <button type="button" className={button} onClick={() => void navigator.share({ title: "Portrait Live", url: link }).catch(() => undefined)}>
              Share…
            </button>
          ) : null}
        </div>
      ) : (
        <p className="text-sm text-neutral-600 dark:text-neutral-400">Sharing is off: no link opens this video.</p>
      )}
      <div className="flex flex-wrap gap-2">
        {link ? (
          <button type="button" className={button} disabled={update.isPending} onClick={() => update.mutate("revoke")}>
            Revoke link
          </button>
        ) : null}
        <button type="button" className={button} disabled={update.isPending} onClick={() => update.mutate("renew")}>
          {link ? "New link" : "Create link"}
        </button>
        <label className="flex items-center gap-2 text-sm text-neutral-800 dark:text-neutral-200">
          <input
            type="checkbox"
            checked={showsPrompt}
            disabled={update.isPending}
            onChange={() => {
              setPendingShowPrompt(!showsPrompt);
              update.mutate("togglePrompt");
            }}
            className="h-4 w-4 accent-indigo-600"
          />
          Show the prompt on the shared page
        </label>
      </div>
      {update.error ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {update.error.message}
        </p>
      ) : null}
    </section>
  );
}
