"use client";

import { skipToken, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useMemo } from "react";
import { endReasonOf, type EndReason } from "@/lib/client/page-end";

/**
 * Whether the page about `subject` has ended (deleted, or signed out), and the way to end it.
 * Kept in the query cache rather than in the component, so the end outlives it: a back
 * navigation that mounts the page again with its old server data still shows the end.
 * Once ended it stays so; signing in again is a full page load, with a fresh cache.
 */
export function usePageEnd(subject: string) {
  const queryClient = useQueryClient();
  const key = useMemo(() => ["page-end", subject], [subject]);
  const { data } = useQuery<EndReason | null>({ queryKey: key, queryFn: skipToken, staleTime: Infinity, gcTime: Infinity });
  // Read from the cache, not from render: an event may arrive between the failure and the re-render.
  const hasEnded = useCallback(() => Boolean(queryClient.getQueryData<EndReason | null>(key)), [queryClient, key]);
  /** Ends the page if `error` says it is over; returns the error, for a query function to throw on. */
  const endOn = useCallback(
    <E>(error: E): E => {
      const reason = endReasonOf(error);
      if (reason && !hasEnded()) queryClient.setQueryData<EndReason | null>(key, reason);
      return error;
    },
    [queryClient, key, hasEnded],
  );
  return { ended: data ?? null, hasEnded, endOn };
}
