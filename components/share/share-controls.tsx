"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { GenerationView } from "@/lib/contracts/generation";
import type { ShareExpiry } from "@/lib/contracts/share";
import { generationsApi } from "@/lib/client/generations-api";
import { useCopy } from "@/components/history/use-copy";
import { shareSnippets } from "@/lib/share/share-snippets";
import { shareLinkFor, useBrowserOrigin, useCanShareNatively } from "./use-browser-capabilities";

const button =
  "rounded-lg border border-neutral-300 px-3 py-1.5 text-sm font-medium text-neutral-800 hover:bg-neutral-100 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-indigo-600 disabled:opacity-50 dark:border-neutral-700 dark:text-neutral-100 dark:hover:bg-neutral-800";

const EXPIRY_LABELS: Record<ShareExpiry, string> = { never: "Never", "1d": "In 1 day", "7d": "In 7 days", "30d": "In 30 days" };

/** The same text on the server and in every browser: the date in UTC. */
const expiryText = (iso: string) => `${new Date(iso).toLocaleString("en", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" })} UTC`;

function CopyButton({ text, label, testId }: { text: string | undefined; label: string; testId: string }) {
  const { copied, failed, copy } = useCopy();
  return (
    <button type="button" className={button} disabled={text === undefined} data-testid={testId} onClick={() => text !== undefined && void copy(text)}>
      {copied ? "Copied" : failed ? "Copy failed" : label}
    </button>
  );
}

/**
 * The owner's share settings for a finished video: copy or share the link (or its embed
 * code, Markdown or BBCode), choose how long it works, revoke it, make a new one, and
 * choose whether the public page shows the prompt.
 */
export function ShareControls({ generation }: { generation: GenerationView }) {
  const queryClient = useQueryClient();
  const { copied, failed, copy } = useCopy();
  // The switch moves the moment it is clicked and settles when the server answers.
  const [pendingShowPrompt, setPendingShowPrompt] = useState<boolean | null>(null);
  // How long links made from here work; changing it also re-times the current link.
  const [expiry, setExpiry] = useState<ShareExpiry | null>(null);
  const update = useMutation({
    mutationFn: (change: "revoke" | "renew" | "togglePrompt" | { expiresIn: ShareExpiry }) =>
      typeof change === "object"
        ? generationsApi.setShareExpiry(generation.id, change.expiresIn)
        : change === "revoke"
          ? generationsApi.revokeShareLink(generation.id)
          : change === "renew"
            ? generationsApi.renewShareLink(generation.id, expiry ?? "never")
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
  // The embed code and poster come from our own oEmbed answer: one source for every consumer.
  const oembed = useQuery({
    queryKey: ["oembed", link],
    queryFn: () => generationsApi.oembed(link ?? ""),
    enabled: link !== null && origin !== null,
    staleTime: Infinity,
    retry: 1,
  });
  const snippets =
    link && oembed.data ? shareSnippets({ link, title: oembed.data.title, poster: oembed.data.thumbnail_url, embed: oembed.data.html }) : undefined;

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
          <button type="button" className={button} data-testid="copy-share-link" onClick={() => void copy(link)}>
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
      {link ? (
        <div className="flex flex-wrap items-center gap-2" aria-label="Paste elsewhere" role="group">
          <CopyButton text={snippets?.embed} label="Copy embed code" testId="copy-embed-code" />
          <CopyButton text={snippets?.markdown} label="Copy Markdown" testId="copy-markdown" />
          <CopyButton text={snippets?.bbcode} label="Copy BBCode" testId="copy-bbcode" />
        </div>
      ) : null}
      <div className="flex flex-wrap items-center gap-2 text-sm text-neutral-800 dark:text-neutral-200">
        <label className="flex items-center gap-2">
          Link expires
          <select
            value={expiry ?? (link && generation.shareExpiresAt ? "as-set" : "never")}
            disabled={update.isPending}
            data-testid="share-expiry-choice"
            onChange={(event) => {
              const expiresIn = event.currentTarget.value as ShareExpiry;
              setExpiry(expiresIn);
              if (link) update.mutate({ expiresIn });
            }}
            className="rounded-lg border border-neutral-300 bg-white px-2 py-1 text-sm dark:border-neutral-700 dark:bg-neutral-950"
          >
            {link && generation.shareExpiresAt && expiry === null ? (
              <option value="as-set" disabled>
                As set
              </option>
            ) : null}
            {(Object.keys(EXPIRY_LABELS) as ShareExpiry[]).map((choice) => (
              <option key={choice} value={choice}>
                {EXPIRY_LABELS[choice]}
              </option>
            ))}
          </select>
        </label>
        {link ? (
          <span data-testid="share-expiry" className="text-neutral-600 dark:text-neutral-400">
            {generation.shareExpiresAt ? (
              <>
                Works until <time dateTime={generation.shareExpiresAt}>{expiryText(generation.shareExpiresAt)}</time>
              </>
            ) : (
              "Works until you revoke it"
            )}
          </span>
        ) : null}
      </div>
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
