"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { ConfirmDeleteDialog } from "@/components/history/confirm-delete-dialog";
import { useCopy } from "@/components/history/use-copy";
import { isFinalStatus } from "@/lib/contracts/generation";
import type { TakeSetView } from "@/lib/contracts/takes";
import { shareLinkFor, useBrowserOrigin } from "@/components/share/use-browser-capabilities";
import { takesApi } from "@/lib/client/takes-api";
import { ErrorAlert } from "@/components/ui/card";
import { EndedState } from "@/components/ui/ended-state";
import { usePageEnd } from "@/components/ui/use-page-end";
import { mayPass } from "@/lib/client/page-end";
import { NotifyButton } from "./notify-button";
import { SyncBar } from "./sync-bar";
import { TakeCard } from "./take-card";
import { useDoneNotifications } from "./use-done-notifications";
import { useSyncedVideos } from "./use-synced-videos";

const POLL_MS = 2000;
const button =
  "rounded-lg border border-neutral-300 px-3 py-1.5 text-sm font-medium text-neutral-800 hover:bg-neutral-100 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-indigo-600 disabled:opacity-50 dark:border-neutral-700 dark:text-neutral-100 dark:hover:bg-neutral-800";

/** A set of takes side by side: progress while they run, then synchronised playback, a favourite, sharing. */
export function TakesView({ initial }: { initial: TakeSetView }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const { ended, endOn } = usePageEnd(`takes:${initial.id}`);
  const query = useQuery({
    queryKey: ["takes", initial.id],
    queryFn: () =>
      takesApi.get(initial.id).catch((error: unknown) => {
        throw endOn(error);
      }),
    initialData: initial,
    // Deleted or signed out: nothing more to ask.
    enabled: !ended,
    refetchInterval: (current) => (current.state.data?.generations.every((take) => isFinalStatus(take.status)) ? false : POLL_MS),
    refetchIntervalInBackground: true,
    retry: (failures, error) => failures < 3 && mayPass(error),
  });
  const set = query.data ?? initial;
  const sync = useSyncedVideos();
  const { copied, failed, copy } = useCopy();
  const [confirming, setConfirming] = useState(false);
  const statuses = useMemo(() => set.generations.map((take) => ({ id: take.id, status: take.status })), [set.generations]);
  useDoneNotifications(statuses);

  const favourite = useMutation({
    mutationFn: (id: string | null) => takesApi.setFavourite(set.id, id),
    onSuccess: (updated) => {
      queryClient.setQueryData(["takes", set.id], updated);
      void queryClient.invalidateQueries({ queryKey: ["generations"] });
    },
    onError: endOn,
  });
  const remove = useMutation({
    mutationFn: () => takesApi.remove(set.id),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ["generations"] });
      router.push("/history");
    },
    onError: endOn,
  });

  const done = set.generations.filter((take) => take.status === "succeeded").length;
  const running = set.generations.filter((take) => !isFinalStatus(take.status)).length;
  const chosen = set.generations.find((take) => take.id === set.favouriteId) ?? null;
  const origin = useBrowserOrigin();
  const shareLink = chosen?.shareUrl ? shareLinkFor(chosen.shareUrl, origin) : null;

  if (ended) return <EndedState reason={ended} subject="takes" />;
  return (
    <div className="flex flex-col gap-6" data-testid="takes" data-running={running}>
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div className="flex flex-col gap-1">
          <h1 className="text-2xl font-bold tracking-tight text-neutral-900 dark:text-neutral-50">Compare {set.generations.length} takes</h1>
          <p className="text-sm text-neutral-600 dark:text-neutral-400" aria-live="polite" data-testid="takes-summary">
            {running > 0
              ? `${done} of ${set.generations.length} ready; ${running} still running.`
              : `All ${set.generations.length} finished. Pick your favourite: it comes first in your history and is the one you share.`}
          </p>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          {running > 0 ? <NotifyButton className={button} /> : null}
          {shareLink ? (
            <button type="button" className={button} onClick={() => void copy(shareLinkFor(shareLink, window.location.origin))} data-testid="share-favourite">
              {copied ? "Copied" : failed ? "Copy failed" : "Share favourite"}
            </button>
          ) : null}
          <Link href="/" className={button}>
            Animate another
          </Link>
          <button type="button" className={`${button} text-red-700 dark:text-red-400`} onClick={() => setConfirming(true)}>
            Delete all takes
          </button>
        </div>
      </div>
      {shareLink ? (
        <p className="text-sm text-neutral-700 dark:text-neutral-300">
          Favourite&apos;s link: <span data-testid="favourite-link">{shareLink}</span>
        </p>
      ) : null}
      {done > 0 ? <SyncBar playing={sync.playing} time={sync.time} duration={sync.duration} onToggle={sync.toggle} onSeek={sync.seek} /> : null}
      <ul className="grid grid-cols-1 gap-4 md:grid-cols-2" aria-label="Takes">
        {set.generations.map((take, index) => (
          <TakeCard
            key={take.id}
            take={take}
            index={index}
            favourite={take.id === set.favouriteId}
            busy={favourite.isPending}
            onFavourite={() => favourite.mutate(take.id === set.favouriteId ? null : take.id)}
            register={sync.register}
          />
        ))}
      </ul>
      <ErrorAlert error={favourite.error ?? remove.error} />
      <ConfirmDeleteDialog open={confirming} busy={remove.isPending} onConfirm={() => remove.mutate()} onCancel={() => setConfirming(false)} />
    </div>
  );
}
