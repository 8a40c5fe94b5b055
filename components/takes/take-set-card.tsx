"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { ConfirmDeleteDialog } from "@/components/history/confirm-delete-dialog";
import { formatAge, STATUS_LABEL } from "@/components/history/format";
import type { GenerationView } from "@/lib/contracts/generation";
import { takesApi } from "@/lib/client/takes-api";
import { cardAction, ErrorAlert } from "@/components/ui/card";
import { generationPagePath, takeSetPagePath } from "@/lib/contracts/paths";
import { PortraitStill } from "@/components/ui/portrait-still";

/** A set of takes in history: one card, its favourite first, the others as thumbnails. */
export function TakeSetCard({ setId, takes }: { setId: string; takes: GenerationView[] }) {
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const remove = useMutation({
    mutationFn: () => takesApi.remove(setId),
    onSuccess: async () => {
      setConfirming(false);
      await queryClient.invalidateQueries({ queryKey: ["generations"] });
    },
  });
  const [lead, ...others] = takes;
  if (!lead) return null;
  const ready = takes.filter((take) => take.status === "succeeded").length;
  const title = lead.prompt || "No prompt";

  return (
    <li
      className="flex flex-col overflow-hidden rounded-2xl border border-neutral-200 bg-white dark:border-neutral-800 dark:bg-neutral-900"
      data-testid="history-set"
      data-take-set-id={setId}
    >
      <Link
        href={takeSetPagePath(setId)}
        className="group relative block aspect-[3/4] bg-neutral-100 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 dark:bg-neutral-800"
      >
        <PortraitStill
          src={lead.inputUrl}
          alt={`Takes for: ${title}`}
          loading="lazy"
          className="h-full w-full object-cover transition group-hover:opacity-90"
        />
        <span className="absolute left-2 top-2 rounded-full bg-indigo-100 px-2 py-0.5 text-xs font-semibold text-indigo-900 dark:bg-indigo-900/60 dark:text-indigo-100">
          {takes.length} takes · {ready} ready
        </span>
        {lead.favourite ? (
          <span className="absolute right-2 top-2 rounded-full bg-amber-100 px-2 py-0.5 text-xs font-semibold text-amber-900">★ Favourite</span>
        ) : null}
      </Link>
      <div className="flex flex-1 flex-col gap-2 p-3">
        <ol className="flex flex-col gap-1 text-sm text-neutral-800 dark:text-neutral-100" aria-label="Takes">
          {[lead, ...others].map((take) => (
            <li key={take.id} className="flex items-baseline justify-between gap-2" data-testid="history-set-take" data-generation-id={take.id}>
              <Link href={generationPagePath(take.id)} className="line-clamp-1 hover:underline" title={take.prompt}>
                {take.favourite ? "★ " : ""}
                {take.prompt || "No prompt"}
              </Link>
              <span className="shrink-0 text-xs text-neutral-600 dark:text-neutral-400" data-testid="history-set-status">
                {STATUS_LABEL[take.status]}
                {take.queuePosition !== undefined ? ` · #${take.queuePosition} in line` : ""}
              </span>
            </li>
          ))}
        </ol>
        <p className="text-xs text-neutral-600 dark:text-neutral-400">
          <time dateTime={lead.createdAt} suppressHydrationWarning>
            {formatAge(lead.createdAt)}
          </time>
        </p>
        <div className="mt-auto flex flex-wrap gap-1">
          <Link href={takeSetPagePath(setId)} className={cardAction}>
            Compare
          </Link>
          <button type="button" className={`${cardAction} text-red-700 dark:text-red-400`} onClick={() => setConfirming(true)}>
            Delete set
          </button>
        </div>
        <ErrorAlert error={remove.error} />
      </div>
      <ConfirmDeleteDialog open={confirming} busy={remove.isPending} onConfirm={() => remove.mutate()} onCancel={() => setConfirming(false)} />
    </li>
  );
}
