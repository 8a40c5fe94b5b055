import type { Readable } from "node:stream";

/**
 * Where input images and result videos live: a local folder by default, S3-compatible
 * storage for larger setups. Keys are built by the app from validated ids, never by users.
 */
export interface MediaStore {
  /** Writes a stream atomically; rejects (writing nothing) past maxBytes or when `check` refuses the first bytes. */
  putStream(
    key: string,
    body: ReadableStream<Uint8Array>,
    options: { maxBytes: number; checkHead?: (head: Buffer) => string | null },
  ): Promise<{ bytes: number }>;
  putBuffer(key: string, data: Buffer): Promise<void>;
  stat(key: string): Promise<{ bytes: number; modifiedAt: Date } | null>;
  /** Inclusive byte range, as in HTTP Range. */
  read(key: string, range?: { start: number; end: number }): Readable;
  readBuffer(key: string): Promise<Buffer>;
  delete(key: string): Promise<void>;
}

export class MediaWriteError extends Error {
  constructor(
    readonly reason: "too_large" | "rejected",
    message: string,
  ) {
    super(message);
    this.name = "MediaWriteError";
  }
}

const KEY_PATTERN = /^(inputs|videos)\/[A-Za-z0-9_-]{1,64}\.(jpg|mp4)$/;

/** Keys come from our own ids; checking their shape makes path traversal impossible. */
export function assertMediaKey(key: string): void {
  if (!KEY_PATTERN.test(key)) throw new Error(`invalid media key: ${JSON.stringify(key)}`);
}

export const inputKeyFor = (generationId: string) => `inputs/${generationId}.jpg`;
export const videoKeyFor = (generationId: string) => `videos/${generationId}.mp4`;
