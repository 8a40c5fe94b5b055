"use client";

import { useRouter } from "next/navigation";
import { usePaidIntent } from "@/components/ui/use-paid-intent";
import { ApiRequestError } from "@/lib/client/api-request-error";
import type { CropUploader } from "@/lib/client/crop-uploader";
import { newIdempotencyKey } from "@/lib/client/idempotency-key";
import { loadCreatedByKeyApi, loadGenerationsApi, loadTakesApi } from "@/lib/client/load-apis";
import type { UploadView } from "@/lib/contracts/upload";
import { generationPagePath, takeSetPagePath } from "@/lib/contracts/paths";

/** Called when a portrait is accepted: Generate is likely to follow, so its clients are fetched now. */
export function prepareToStart() {
  void loadGenerationsApi();
  void loadTakesApi();
}

/** Everything the person saw when they clicked Generate: this, and nothing else, is sent. */
export interface StudioIntent {
  /** The framing on screen (CropUploader's key: the photo and its area). */
  framingKey: string;
  /** One prompt per take; one prompt is a single generation. */
  prompts: string[];
  promptOptimizer: boolean;
  watermark: boolean;
}

interface Prepared {
  intent: StudioIntent;
  upload: UploadView;
}

/** The server does not know (any more) the upload the request named. */
const isUnknownUpload = (error: unknown) => error instanceof ApiRequestError && error.field === "uploadId";

/** Sends the intent from its upload; answers the page that shows what it created. */
async function send({ intent, upload }: Prepared, key: string): Promise<string> {
  const { prompts, promptOptimizer, watermark } = intent;
  if (prompts.length > 1) {
    const set = await (
      await loadTakesApi()
    ).takesApi.create({ uploadId: upload.id, takes: prompts.map((prompt) => ({ prompt, promptOptimizer, watermark })) }, key);
    return takeSetPagePath(set.id);
  }
  const generation = await (
    await loadGenerationsApi()
  ).generationsApi.create({ uploadId: upload.id, prompt: prompts[0] ?? "", promptOptimizer, watermark }, key);
  return generationPagePath(generation.id);
}

/**
 * Generate in the studio: a single video or a set of takes from the framing's upload (see
 * PaidIntent for the guarantees). An upload the server has lost is made again, once, under
 * the same key: its refusal created nothing.
 */
export function useStartFromStudio(uploader: CropUploader) {
  const router = useRouter();
  return usePaidIntent<StudioIntent, Prepared, string>({
    identify: (intent) => JSON.stringify(intent),
    newKey: (intent) => newIdempotencyKey(intent.prompts.length > 1 ? "takes" : "studio"),
    prepare: async (intent, signal) => ({ intent, upload: await uploader.ready({ key: intent.framingKey, signal }) }),
    send: async (prepared, key) => {
      try {
        return await send(prepared, key);
      } catch (error) {
        if (!isUnknownUpload(error)) throw error;
        uploader.invalidate(prepared.upload.id);
        return send({ ...prepared, upload: await uploader.ready({ key: prepared.intent.framingKey }) }, key);
      }
    },
    lookup: async (key) => {
      const created = await (await loadCreatedByKeyApi()).createdByKey(key);
      return created === null ? null : (created.kind === "takes" ? takeSetPagePath : generationPagePath)(created.id);
    },
    onCreated: (path) => router.push(path),
  });
}
