"use client";

import { newIdempotencyKey } from "@/lib/client/idempotency-key";
import type { CreateGenerationBody } from "@/lib/contracts/generation";
import { useCreateFromUpload, type FromUpload } from "./create-from-upload";
import type { MotionSettings } from "./motion-prompt";

// Kept out of the first load (it brings the response schemas, zod), and fetched as soon as
// a portrait arrives so that Generate does not wait for it.
let generationsApiModule: Promise<typeof import("@/lib/client/generations-api")> | null = null;
const loadGenerationsApi = () => (generationsApiModule ??= import("@/lib/client/generations-api"));

/** Called when a portrait is accepted: Generate is likely to follow. */
export const prepareToCreate = () => void loadGenerationsApi();

export interface CreateInput extends FromUpload {
  settings: MotionSettings;
}

const createGeneration = {
  body: (uploadId: string, input: CreateInput) => ({ uploadId, ...input.settings }),
  send: async (body: CreateGenerationBody, key: string) => (await loadGenerationsApi()).generationsApi.create(body, key),
  newKey: () => newIdempotencyKey("studio"),
};

/** Creates the generation from the studio's upload; a retry or a double click never starts a second paid task. */
export function useCreateGeneration() {
  return useCreateFromUpload(createGeneration);
}
