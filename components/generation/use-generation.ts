"use client";

import { useQuery } from "@tanstack/react-query";
import { generationsApi } from "@/lib/client/generations-api";
import type { GenerationView } from "@/lib/contracts/generation";

const POLL_MS = 2000;
const MAX_BACKOFF_MS = 30_000;

/** Follows one generation: every ~2 s while in flight, backing off on errors, stopping when final. */
export function useGeneration(id: string, initial?: GenerationView) {
  return useQuery({
    queryKey: ["generation", id],
    queryFn: () => generationsApi.get(id),
    initialData: initial,
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      if (status === "succeeded" || status === "failed") return false;
      const failures = query.state.fetchFailureCount;
      return failures > 0 ? Math.min(MAX_BACKOFF_MS, POLL_MS * 2 ** failures) : POLL_MS;
    },
    refetchIntervalInBackground: true,
    retry: 3,
    retryDelay: (attempt) => Math.min(MAX_BACKOFF_MS, 1000 * 2 ** attempt),
  });
}
