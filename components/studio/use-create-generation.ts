"use client";

import { useMutation } from "@tanstack/react-query";
import { useRef } from "react";
import type { UploadView } from "@/lib/contracts/upload";
import { ApiRequestError } from "@/lib/client/api-request-error";
import { newIdempotencyKey } from "@/lib/client/idempotency-key";
import type { MotionSettings } from "./motion-prompt";

// Kept out of the first load (it brings the response schemas, zod), and fetched as soon as
// a portrait arrives so that Generate does not wait for it.
let generationsApiModule: Promise<typeof import("@/lib/client/generations-api")> | null = null;
const loadGenerationsApi = () => (generationsApiModule ??= import("@/lib/client/generations-api"));

/** Called when a portrait is accepted: Generate is likely to follow. */
export const prepareToCreate = () => void loadGenerationsApi();

/** A 4xx is the server's final word on that request: nothing was created. */
const isDefinitiveRefusal = (error: unknown) => error instanceof ApiRequestError && error.status >= 400 && error.status < 500;

/** The server does not know (any more) the upload the request named. */
const isUnknownUpload = (error: unknown) => error instanceof ApiRequestError && error.field === "uploadId";

export interface CreateInput {
  /** The upload of the framing on screen; waits for it when it is still on its way. */
  upload: () => Promise<UploadView>;
  /** The ready upload turned out to be gone on the server: make it again. */
  invalidateUpload: (uploadId: string) => void;
  settings: MotionSettings;
}

/**
 * Creates the generation from the studio's upload. Each distinct request (upload and
 * settings) has its own Idempotency-Key, kept until the server gives a definitive answer:
 * a double click, or a retry after a dropped connection, a time-out or a 5xx (the task
 * may exist even so), can only return the same generation, never start a second paid
 * task — and a changed framing or prompt is a new request, never a replay of the old one.
 */
export function useCreateGeneration() {
  const sent = useRef<{ body: string; key: string } | null>(null);
  const keyFor = (body: string) => {
    if (sent.current?.body !== body) sent.current = { body, key: newIdempotencyKey("studio") };
    return sent.current.key;
  };
  return useMutation({
    mutationFn: async (input: CreateInput) => {
      const { generationsApi } = await loadGenerationsApi();
      for (let attempt = 0; ; attempt++) {
        const upload = await input.upload();
        const body = { uploadId: upload.id, ...input.settings };
        const key = keyFor(JSON.stringify(body));
        try {
          const generation = await generationsApi.create(body, key);
          sent.current = null;
          return generation;
        } catch (error) {
          if (isDefinitiveRefusal(error)) sent.current = null;
          if (attempt > 0 || !isUnknownUpload(error)) throw error;
          input.invalidateUpload(upload.id);
        }
      }
    },
  });
}
