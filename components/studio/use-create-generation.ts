"use client";

import { useMutation } from "@tanstack/react-query";
import { useCallback, useRef } from "react";
import type { Area } from "@/lib/client/crop-math";
import type { WorkingImage } from "@/lib/client/decode-portrait";
import { blobToDataUrl, exportCrop } from "@/lib/client/export-crop";
import { ApiRequestError } from "@/lib/client/api-request-error";
import type { MotionSettings } from "./motion-prompt";

// Kept out of the first load (it brings the response schemas, zod), and fetched as soon as
// a portrait arrives so that Generate does not wait for it.
let generationsApiModule: Promise<typeof import("@/lib/client/generations-api")> | null = null;
const loadGenerationsApi = () => (generationsApiModule ??= import("@/lib/client/generations-api"));

/** Called when a portrait is accepted: Generate is likely to follow. */
export const prepareToCreate = () => void loadGenerationsApi();

/** A 4xx is the server's final word on that request: nothing was created. */
const isDefinitiveRefusal = (error: unknown) => error instanceof ApiRequestError && error.status >= 400 && error.status < 500;

/**
 * Sends the crop with an Idempotency-Key that is kept until the server gives a
 * definitive answer: a double click, or a retry after a dropped connection, a time-out
 * or a 5xx (the task may exist even so), can only return the same generation, never
 * start a second paid task.
 */
export function useCreateGeneration() {
  const idempotencyKey = useRef<string | null>(null);
  const mutation = useMutation({
    mutationFn: async (input: { image: WorkingImage; area: Area; settings: MotionSettings }) => {
      idempotencyKey.current ??= `studio-${crypto.randomUUID()}`;
      const [crop, { generationsApi }] = await Promise.all([exportCrop(input.image, input.area), loadGenerationsApi()]);
      return generationsApi.create({ image: await blobToDataUrl(crop), ...input.settings }, idempotencyKey.current);
    },
    onSuccess: () => {
      idempotencyKey.current = null;
    },
    onError: (error) => {
      if (isDefinitiveRefusal(error)) idempotencyKey.current = null;
    },
  });
  /** Any edit makes the next click a different request. */
  const inputsChanged = useCallback(() => {
    if (!mutation.isPending) idempotencyKey.current = null;
  }, [mutation.isPending]);
  return { ...mutation, inputsChanged };
}
