"use client";

import { useCreateFromUpload, type FromUpload } from "@/components/studio/create-from-upload";
import type { CreateTakesBody } from "@/lib/contracts/takes";
import { newIdempotencyKey } from "@/lib/client/idempotency-key";

// Kept out of the studio's first load, like the generations client.
let takesApiModule: Promise<typeof import("@/lib/client/takes-api")> | null = null;
export const loadTakesApi = () => (takesApiModule ??= import("@/lib/client/takes-api"));

export interface CreateTakesInput extends FromUpload {
  takes: Array<{ prompt: string; promptOptimizer: boolean; watermark: boolean }>;
}

const createTakes = {
  body: (uploadId: string, input: CreateTakesInput) => ({ uploadId, takes: input.takes }),
  send: async (body: CreateTakesBody, key: string) => (await loadTakesApi()).takesApi.create(body, key),
  newKey: () => newIdempotencyKey("takes"),
};

/**
 * Starts a set of takes from the studio's one upload. As for a single generation, a double
 * click or a retry returns the same set and never starts a second round of tasks.
 */
export function useCreateTakes() {
  return useCreateFromUpload(createTakes);
}
