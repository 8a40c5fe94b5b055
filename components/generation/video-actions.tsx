"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useCopy } from "@/components/history/use-copy";
import { cardAction } from "@/components/ui/card";
import { useRepeatIntent } from "@/components/ui/use-paid-intent";
import type { GenerationView } from "@/lib/contracts/generation";
import { absoluteUrl, generationsApi } from "@/lib/client/generations-api";
import { newIdempotencyKey } from "@/lib/client/idempotency-key";
import { generationPagePath } from "@/lib/contracts/paths";

/**
 * Starts a generation again with the same photo and options, then opens it. One key for as
 * long as the control is on screen, and busy until the new page is: however often it is
 * clicked, it starts one task. `purpose` names the key ("retry" on a failed generation).
 */
export function useRerun(generationId: string, purpose: "rerun" | "retry" = "rerun") {
  const router = useRouter();
  const queryClient = useQueryClient();
  return useRepeatIntent({
    send: (key) => generationsApi.rerun(generationId, key),
    newKey: () => newIdempotencyKey(purpose),
    onCreated: (created) => {
      void queryClient.invalidateQueries({ queryKey: ["generations"] });
      router.push(generationPagePath(created.id));
    },
  });
}

type Rerun = ReturnType<typeof useRerun>;

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
  rerun: Pick<Rerun, "start" | "busy"> | null;
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
        <button type="button" className={cardAction} onClick={() => rerun.start()} disabled={rerun.busy} data-testid={testIds.rerun}>
          {rerun.busy ? "Starting…" : "Re-run"}
        </button>
      ) : null}
    </>
  );
}
