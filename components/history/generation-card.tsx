"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import type { GenerationView } from "@/lib/contracts/generation";
import { generationsApi } from "@/lib/client/generations-api";
import { useRerun, VideoActions } from "@/components/generation/video-actions";
import { LoopDownloads } from "@/components/share/loop-downloads";
import { cardAction, ErrorAlert } from "@/components/ui/card";
import { ConfirmDeleteDialog } from "./confirm-delete-dialog";
import { formatUsd } from "@/lib/contracts/money";
import { formatAge, STATUS_LABEL } from "./format";
import { generationPagePath, loopsPath } from "@/lib/contracts/paths";
import { PortraitStill } from "@/components/ui/portrait-still";

const STATUS_STYLE = {
  queued: "bg-amber-100 text-amber-900 dark:bg-amber-900/40 dark:text-amber-100",
  processing: "bg-sky-100 text-sky-900 dark:bg-sky-900/40 dark:text-sky-100",
  succeeded: "bg-emerald-100 text-emerald-900 dark:bg-emerald-900/40 dark:text-emerald-100",
  failed: "bg-red-100 text-red-900 dark:bg-red-900/40 dark:text-red-100",
} as const;

export function GenerationCard({ generation }: { generation: GenerationView }) {
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const remove = useMutation({
    mutationFn: () => generationsApi.remove(generation.id),
    onSuccess: async () => {
      setConfirming(false);
      await queryClient.invalidateQueries({ queryKey: ["generations"] });
    },
  });
  const rerun = useRerun(generation.id);
  const title = generation.prompt || "No prompt";

  return (
    <li
      className="flex flex-col overflow-hidden rounded-2xl border border-neutral-200 bg-white dark:border-neutral-800 dark:bg-neutral-900"
      data-testid="history-card"
      data-generation-id={generation.id}
    >
      <Link
        href={generationPagePath(generation.id)}
        className="group relative block aspect-[3/4] bg-neutral-100 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 dark:bg-neutral-800"
      >
        <PortraitStill
          src={generation.inputUrl}
          alt={`Portrait for: ${title}`}
          loading="lazy"
          className="h-full w-full object-cover transition group-hover:opacity-90"
        />
        <span
          className={`absolute left-2 top-2 rounded-full px-2 py-0.5 text-xs font-semibold ${STATUS_STYLE[generation.status]}`}
          data-testid="history-status"
        >
          {STATUS_LABEL[generation.status]}
          {generation.queuePosition !== undefined ? ` · #${generation.queuePosition} in line` : ""}
        </span>
      </Link>
      <div className="flex flex-1 flex-col gap-2 p-3">
        <p className="line-clamp-2 text-sm text-neutral-800 dark:text-neutral-100" title={title}>
          {title}
        </p>
        <p className="text-xs text-neutral-600 dark:text-neutral-400">
          {/* "3 minutes ago" may read differently by the time the browser takes over from the server. */}
          <time dateTime={generation.createdAt} suppressHydrationWarning>
            {formatAge(generation.createdAt)}
          </time>
          {generation.cost ? <span data-testid="history-cost"> · {formatUsd(generation.cost)}</span> : null}
        </p>
        <div className="mt-auto flex flex-wrap gap-1">
          <Link href={generationPagePath(generation.id)} className={cardAction}>
            Open
          </Link>
          <VideoActions generation={generation} rerun={rerun} />
          <button type="button" className={`${cardAction} text-red-700 dark:text-red-400`} onClick={() => setConfirming(true)}>
            Delete
          </button>
        </div>
        {generation.status === "succeeded" ? <LoopDownloads base={loopsPath(generation.id)} compact /> : null}
        <ErrorAlert error={remove.error ?? rerun.error} />
      </div>
      <ConfirmDeleteDialog open={confirming} busy={remove.isPending} onConfirm={() => remove.mutate()} onCancel={() => setConfirming(false)} />
    </li>
  );
}
