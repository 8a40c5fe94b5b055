"use client";

import { useMutation } from "@tanstack/react-query";
import { useRef } from "react";
import { ApiRequestError } from "@/lib/client/api-request-error";
import type { UploadView } from "@/lib/contracts/upload";

// Kept out of the studio's first load, like the generations client.
let takesApiModule: Promise<typeof import("@/lib/client/takes-api")> | null = null;
export const loadTakesApi = () => (takesApiModule ??= import("@/lib/client/takes-api"));

const isDefinitiveRefusal = (error: unknown) => error instanceof ApiRequestError && error.status >= 400 && error.status < 500;
const isUnknownUpload = (error: unknown) => error instanceof ApiRequestError && error.field === "uploadId";

export interface CreateTakesInput {
  upload: () => Promise<UploadView>;
  invalidateUpload: (uploadId: string) => void;
  takes: Array<{ prompt: string; promptOptimizer: boolean; watermark: boolean }>;
}

/**
 * Starts a set of takes from the studio's one upload. As for a single generation, each
 * distinct request keeps its Idempotency-Key until the server answers definitively, so a
 * double click or a retry returns the same set and never starts a second round of tasks.
 */
export function useCreateTakes() {
  const sent = useRef<{ body: string; key: string } | null>(null);
  const keyFor = (body: string) => {
    if (sent.current?.body !== body) sent.current = { body, key: `takes-${crypto.randomUUID()}` };
    return sent.current.key;
  };
  return useMutation({
    mutationFn: async (input: CreateTakesInput) => {
      const { takesApi } = await loadTakesApi();
      for (let attempt = 0; ; attempt++) {
        const upload = await input.upload();
        const body = { uploadId: upload.id, takes: input.takes };
        const key = keyFor(JSON.stringify(body));
        try {
          const set = await takesApi.create(body, key);
          sent.current = null;
          return set;
        } catch (error) {
          if (isDefinitiveRefusal(error)) sent.current = null;
          if (attempt > 0 || !isUnknownUpload(error)) throw error;
          input.invalidateUpload(upload.id);
        }
      }
    },
  });
}
