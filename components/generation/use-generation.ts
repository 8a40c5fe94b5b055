"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { generationsApi } from "@/lib/client/generations-api";
import { generationViewSchema, isFinalStatus, type GenerationView } from "@/lib/contracts/generation";

const POLL_MS = 2000;
/** With a live event stream, polling is only a safety net. */
const POLL_WITH_EVENTS_MS = 15_000;
const MAX_BACKOFF_MS = 30_000;

/**
 * Follows one generation: pushed changes from the server's event stream, plus polling
 * every ~2 s while in flight (backing off on errors), stopping when final.
 */
export function useGeneration(id: string, initial?: GenerationView) {
  const queryClient = useQueryClient();
  const [streaming, setStreaming] = useState(false);
  const query = useQuery({
    queryKey: ["generation", id],
    queryFn: () => generationsApi.get(id),
    initialData: initial,
    refetchInterval: (current) => {
      const status = current.state.data?.status;
      if (status && isFinalStatus(status)) return false;
      const failures = current.state.fetchFailureCount;
      if (failures > 0) return Math.min(MAX_BACKOFF_MS, POLL_MS * 2 ** failures);
      return streaming ? POLL_WITH_EVENTS_MS : POLL_MS;
    },
    refetchIntervalInBackground: true,
    retry: 3,
    retryDelay: (attempt) => Math.min(MAX_BACKOFF_MS, 1000 * 2 ** attempt),
  });

  const final = query.data ? isFinalStatus(query.data.status) : false;
  useEffect(() => {
    if (final || typeof EventSource === "undefined") return;
    const source = new EventSource(`/api/generations/${id}/events`);
    source.onopen = () => setStreaming(true);
    source.onerror = () => setStreaming(false);
    source.onmessage = (event: MessageEvent<string>) => {
      const parsed = generationViewSchema.safeParse(JSON.parse(event.data));
      if (parsed.success) queryClient.setQueryData(["generation", id], parsed.data);
    };
    return () => source.close();
  }, [id, final, queryClient]);

  return query;
}
