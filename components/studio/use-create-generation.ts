"use client";

import { useMutation } from "@tanstack/react-query";
import { useCallback, useRef } from "react";
import type { Area } from "@/lib/client/crop-math";
import { blobToDataUrl, exportCrop } from "@/lib/client/export-crop";
import { ApiRequestError } from "@/lib/client/api-request-error";
import type { MotionSettings } from "./motion-prompt";

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
    mutationFn: async (input: { bitmap: ImageBitmap; area: Area; settings: MotionSettings }) => {
      idempotencyKey.current ??= `studio-${crypto.randomUUID()}`;
      const crop = await exportCrop(input.bitmap, input.area);
      // Loaded on the first Generate, not with the page: it brings the response schemas (zod).
      const { generationsApi } = await import("@/lib/client/generations-api");
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
