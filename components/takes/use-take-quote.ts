"use client";

import { useQuery } from "@tanstack/react-query";
import { quoteTakes, type TakeQuote } from "@/lib/client/take-quote";
import { loadTakesApi } from "@/lib/client/load-apis";

/** What `count` takes would cost and whether the queue and budget take them all; null until known. */
export function useTakeQuote(count: number, enabled: boolean): TakeQuote | null {
  const status = useQuery({
    queryKey: ["queue-status"],
    queryFn: async () => (await loadTakesApi()).takesApi.queue(),
    enabled,
    refetchInterval: enabled ? 10_000 : false,
  });
  return status.data ? quoteTakes(count, status.data) : null;
}
