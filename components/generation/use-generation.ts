"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { usePageEnd } from "@/components/ui/use-page-end";
import { generationsApi } from "@/lib/client/generations-api";
import { mayPass } from "@/lib/client/page-end";
import { generationViewSchema, isFinalStatus, type GenerationView } from "@/lib/contracts/generation";
import { eventsPath } from "@/lib/contracts/paths";

const POLL_MS = 2000;
/** With a live event stream, polling is only a safety net. */
const POLL_WITH_EVENTS_MS = 15_000;
const MAX_BACKOFF_MS = 30_000;

/**
 * Follows one generation: pushed changes from the server's event stream, plus polling
 * every ~2 s while in flight (backing off on errors), stopping when final. A 404 or 401
 * ends it (`ended`): no more polling, stream or events, whatever arrives later.
 */
export function useGeneration(id: string, initial?: GenerationView) {
  const queryClient = useQueryClient();
  const [streaming, setStreaming] = useState(false);
  const { ended, hasEnded, endOn } = usePageEnd(`generation:${id}`);
  const query = useQuery({
    queryKey: ["generation", id],
    queryFn: () =>
      generationsApi.get(id).catch((error: unknown) => {
        throw endOn(error);
      }),
    initialData: initial,
    enabled: !ended,
    refetchInterval: (current) => {
      const status = current.state.data?.status;
      if (status && isFinalStatus(status)) return false;
      const failures = current.state.fetchFailureCount;
      if (failures > 0) return Math.min(MAX_BACKOFF_MS, POLL_MS * 2 ** failures);
      return streaming ? POLL_WITH_EVENTS_MS : POLL_MS;
    },
    refetchIntervalInBackground: true,
    retry: (failures, error) => failures < 3 && mayPass(error),
    retryDelay: (attempt) => Math.min(MAX_BACKOFF_MS, 1000 * 2 ** attempt),
  });

  const final = query.data ? isFinalStatus(query.data.status) : false;
  useEffect(() => {
    if (final || ended || typeof EventSource === "undefined") return;
    const source = new EventSource(eventsPath(id));
    source.onopen = () => setStreaming(true);
    source.onerror = () => {
      // Also a refused stream (429: too many open): EventSource does not retry a non-200 answer,
      // and without a stream the query polls every 2 s again.
      setStreaming(false);
      // A stream closes when its generation or session is gone: ask now, not at the next poll.
      if (!hasEnded()) void queryClient.refetchQueries({ queryKey: ["generation", id], exact: true });
    };
    source.onmessage = (event: MessageEvent<string>) => {
      if (hasEnded()) return;
      const parsed = generationViewSchema.safeParse(JSON.parse(event.data));
      if (parsed.success) queryClient.setQueryData(["generation", id], parsed.data);
    };
    return () => source.close();
  }, [id, final, ended, hasEnded, queryClient]);

  return { query, ended };
}
