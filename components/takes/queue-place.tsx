"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { GenerationView } from "@/lib/contracts/generation";
import { ordinal } from "@/lib/client/ordinal";
import { takesApi } from "@/lib/client/takes-api";

/** A generation waiting for a free slot: its place, when it should start, and a way out. */
export function QueuePlace({ generation }: { generation: GenerationView }) {
  const queryClient = useQueryClient();
  const cancel = useMutation({
    mutationFn: () => takesApi.cancel(generation.id),
    onSuccess: () => queryClient.invalidateQueries(),
  });
  if (generation.queuePosition === undefined) return null;
  const at = generation.estimatedStartAt ? new Date(generation.estimatedStartAt) : null;
  return (
    <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm text-amber-900 dark:text-amber-100" data-testid="queue-place">
      <span>
        <span data-testid="queue-position">{ordinal(generation.queuePosition)}</span> in line
        {at ? (
          <>
            {" "}
            · should start around{" "}
            <time dateTime={generation.estimatedStartAt} suppressHydrationWarning>
              {at.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}
            </time>
          </>
        ) : null}
      </span>
      <button
        type="button"
        onClick={() => cancel.mutate()}
        disabled={cancel.isPending}
        className="rounded-lg px-2 py-1 font-medium underline-offset-2 hover:underline focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600 disabled:opacity-50"
        data-testid="queue-cancel"
      >
        {cancel.isPending ? "Cancelling…" : "Cancel"}
      </button>
      {cancel.error ? (
        <span role="alert" className="text-red-700 dark:text-red-400">
          {cancel.error.message}
        </span>
      ) : null}
    </div>
  );
}
