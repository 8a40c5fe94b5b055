"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { ApiRequestError } from "@/lib/client/api-request-error";
import type { UploadView } from "@/lib/contracts/upload";

/** What every create from the studio's one upload is given, whatever it starts. */
export interface FromUpload {
  /** The upload of the framing on screen; waits for it when it is still on its way. */
  upload: () => Promise<UploadView>;
  /** The ready upload turned out to be gone on the server: make it again. */
  invalidateUpload: (uploadId: string) => void;
}

export interface CreateFromUploadOptions<Input extends FromUpload, Body, Result> {
  /** The request body for this input, naming the upload. */
  body: (uploadId: string, input: Input) => Body;
  /** Sends it under that Idempotency-Key. */
  send: (body: Body, idempotencyKey: string) => Promise<Result>;
  newKey: () => string;
}

/** A 4xx is the server's final word on that request: nothing was created. */
const isDefinitiveRefusal = (error: unknown) => error instanceof ApiRequestError && error.status >= 400 && error.status < 500;

/** The server does not know (any more) the upload the request named. */
const isUnknownUpload = (error: unknown) => error instanceof ApiRequestError && error.field === "uploadId";

/**
 * A create that names the studio's upload. Each distinct request (its body) has its own
 * Idempotency-Key, kept until the server gives a definitive answer: a double click, or a
 * retry after a dropped connection, a time-out or a 5xx (the work may have started even
 * so), can only return the same result, never start paid work twice — and a changed
 * framing or prompt is a new request, never a replay of the old one. An upload the server
 * has lost is made again, once.
 */
export function createFromUpload<Input extends FromUpload, Body, Result>({
  body,
  send,
  newKey,
}: CreateFromUploadOptions<Input, Body, Result>): (input: Input) => Promise<Result> {
  let sent: { body: string; key: string } | null = null;
  const keyFor = (text: string) => {
    if (sent?.body !== text) sent = { body: text, key: newKey() };
    return sent.key;
  };
  return async (input) => {
    for (let attempt = 0; ; attempt++) {
      const upload = await input.upload();
      const request = body(upload.id, input);
      const key = keyFor(JSON.stringify(request));
      try {
        const result = await send(request, key);
        sent = null;
        return result;
      } catch (error) {
        if (isDefinitiveRefusal(error)) sent = null;
        if (attempt > 0 || !isUnknownUpload(error)) throw error;
        input.invalidateUpload(upload.id);
      }
    }
  };
}

/** {@link createFromUpload} as a mutation; the key it keeps lives as long as the component. Options are read once. */
export function useCreateFromUpload<Input extends FromUpload, Body, Result>(options: CreateFromUploadOptions<Input, Body, Result>) {
  const [create] = useState(() => createFromUpload(options));
  return useMutation({ mutationFn: (input: Input) => create(input) });
}
