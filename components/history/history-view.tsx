"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { isFinalStatus, type GenerationList, type GenerationStatus } from "@/lib/contracts/generation";
import { generationsApi } from "@/lib/client/generations-api";
import { TakeSetCard } from "@/components/takes/take-set-card";
import { groupHistory } from "@/lib/takes/group-history";
import { GenerationCard } from "./generation-card";
import { HISTORY_PAGE_SIZE } from "./page-size";
import { StatusFilter } from "./status-filter";
import { TotalsBar } from "./totals-bar";

/**
 * Every generation, newest first, loaded page by page as the list scrolls. `initial` is
 * the first unfiltered page as the server rendered it.
 */
export function HistoryView({ initial }: { initial?: GenerationList }) {
  const [status, setStatus] = useState<GenerationStatus | undefined>(undefined);
  const history = useInfiniteQuery({
    queryKey: ["generations", "list", status ?? "all"],
    queryFn: ({ pageParam }) => generationsApi.list({ cursor: pageParam, status, limit: HISTORY_PAGE_SIZE }),
    initialPageParam: undefined as string | undefined,
    initialData: status === undefined && initial ? { pages: [initial], pageParams: [undefined] } : undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    // Keep statuses fresh while anything is still in flight.
    refetchInterval: (query) => (query.state.data?.pages.some((page) => page.items.some((item) => !isFinalStatus(item.status))) ? 3000 : false),
  });
  const sentinel = useRef<HTMLDivElement>(null);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = history;

  useEffect(() => {
    const element = sentinel.current;
    if (!element || !hasNextPage) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting) && !isFetchingNextPage) void fetchNextPage();
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  const items = history.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <div className="flex flex-col gap-6">
      <TotalsBar />
      <StatusFilter value={status} onChange={setStatus} />
      {history.isError ? (
        <p role="alert" className="text-red-700 dark:text-red-400">
          {history.error.message}
        </p>
      ) : null}
      {history.isPending ? <p className="text-neutral-600 dark:text-neutral-400">Loading your videos…</p> : null}
      {history.isSuccess && items.length === 0 ? (
        <p className="text-neutral-600 dark:text-neutral-400">
          {status ? "No videos with this status." : "No videos yet."}{" "}
          <Link href="/" className="font-medium text-indigo-700 underline dark:text-indigo-300">
            Animate a portrait
          </Link>
        </p>
      ) : null}
      <ul className="grid grid-cols-1 gap-4 min-[420px]:grid-cols-2 md:grid-cols-3 lg:grid-cols-4" aria-label="Your videos">
        {groupHistory(items).map((entry) =>
          entry.kind === "set" ? (
            <TakeSetCard key={`set-${entry.setId}`} setId={entry.setId} takes={entry.takes} />
          ) : (
            <GenerationCard key={entry.generation.id} generation={entry.generation} />
          ),
        )}
      </ul>
      <div ref={sentinel} />
      {hasNextPage ? (
        <button
          type="button"
          onClick={() => void fetchNextPage()}
          disabled={isFetchingNextPage}
          className="self-center rounded-lg border border-neutral-300 px-4 py-2 text-sm font-medium text-neutral-800 hover:bg-neutral-100 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600 dark:border-neutral-700 dark:text-neutral-100 dark:hover:bg-neutral-800"
        >
          {isFetchingNextPage ? "Loading…" : "Load more"}
        </button>
      ) : null}
    </div>
  );
}
