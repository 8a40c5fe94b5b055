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
  /**
   * Streams the file, or an inclusive byte range of it (as in HTTP Range). Async because a
   * remote store has to answer before there is a stream to hand out.
   */
  read(key: string, range?: { start: number; end: number }): Promise<Readable>;
  readBuffer(key: string): Promise<Buffer>;
  /** Removes the file; removing a missing one is not an error. */
  delete(key: string): Promise<void>;
  /** Whether the store can be used right now (for health checks); never throws. */
  ping(): Promise<boolean>;
  /**
   * Whether `bytes` more would still leave the configured free-space floor (true where the
   * store cannot tell, as on S3); never throws.
   */
  hasRoom(bytes?: number): Promise<boolean>;
  /** Removes what interrupted writes left behind (called once at start). */
  sweep(): Promise<{ removed: number }>;
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

/** `poster.jpg` is the first frame's name from before it was called `frame.jpg`; stored ones stay readable and deletable. */
const KEY_PATTERN =
  /^(?:(inputs|videos)\/[A-Za-z0-9_-]{1,64}\.(jpg|mp4)|derived\/[A-Za-z0-9_-]{1,64}\/(web\.mp4|light\.mp4|frame\.jpg|poster\.jpg|preview\.webp|loop(-pingpong)?\.(gif|webp)))$/;

export const isMediaKey = (key: string): boolean => KEY_PATTERN.test(key);

/** Keys come from our own ids; checking their shape makes path traversal impossible. */
export function assertMediaKey(key: string): void {
  if (!isMediaKey(key)) throw new Error(`invalid media key: ${JSON.stringify(key)}`);
}

export const inputKeyFor = (uploadId: string) => `inputs/${uploadId}.jpg`;
export const videoKeyFor = (generationId: string) => `videos/${generationId}.mp4`;
