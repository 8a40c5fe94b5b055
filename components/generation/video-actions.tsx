"use client";

import { useMutation, useQueryClient, type UseMutationResult } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useRef } from "react";
import { useCopy } from "@/components/history/use-copy";
import { cardAction } from "@/components/ui/card";
import type { GenerationView } from "@/lib/contracts/generation";
import { absoluteUrl, generationsApi } from "@/lib/client/generations-api";
import { newIdempotencyKey } from "@/lib/client/idempotency-key";

type Rerun = UseMutationResult<GenerationView, Error, void>;

/**
 * Starts a generation again with the same photo and options, then opens it. One key per
 * intended re-run, kept until the server answers: a double click or a retried request starts one task.
 */
export function useRerun(generationId: string): Rerun {
  const router = useRouter();
  const queryClient = useQueryClient();
  const key = useRef<string | null>(null);
  return useMutation({
    mutationFn: () => {
      key.current ??= newIdempotencyKey("rerun");
      return generationsApi.rerun(generationId, key.current);
    },
    onSuccess: async (created) => {
      key.current = null;
      await queryClient.invalidateQueries({ queryKey: ["generations"] });
      router.push(`/g/${created.id}`);
    },
  });
}

/**
 * The actions a video's card offers wherever it is listed: download it, copy its share link,
 * re-run it (the caller owns the re-run, to show its error; none hides the button).
 */
export function VideoActions({
  generation,
  rerun,
  testIds = {},
}: {
  generation: Pick<GenerationView, "downloadUrl" | "shareUrl">;
  rerun: Pick<Rerun, "mutate" | "isPending"> | null;
  testIds?: { download?: string; rerun?: string };
}) {
  const { copied, failed, copy } = useCopy();
  return (
    <>
      {generation.downloadUrl ? (
        <a href={generation.downloadUrl} download className={cardAction} data-testid={testIds.download}>
          Download
        </a>
      ) : null}
      {generation.shareUrl ? (
        <button type="button" className={cardAction} onClick={() => void copy(absoluteUrl(generation.shareUrl ?? ""))}>
          {copied ? "Copied" : failed ? "Copy failed" : "Copy link"}
        </button>
      ) : null}
      {rerun ? (
        <button type="button" className={cardAction} onClick={() => rerun.mutate()} disabled={rerun.isPending} data-testid={testIds.rerun}>
          {rerun.isPending ? "Starting…" : "Re-run"}
        </button>
      ) : null}
    </>
  );
}
