import { Transform } from "node:stream";
import { MediaWriteError } from "./media-store";

/** How many leading bytes `checkHead` sees (it is asked once at least 12 have arrived). */
const HEAD_BYTES = 64;
const MIN_HEAD_BYTES = 12;

export interface WriteGuard extends Transform {
  /** Bytes passed through so far. */
  readonly bytes: number;
  /** Why the guard stopped the stream, if it did. */
  readonly refusal: MediaWriteError | undefined;
}

/**
 * A pass-through that fails the stream past `maxBytes` or when `checkHead` refuses the
 * first bytes, so every MediaStore enforces the same rules before anything is kept.
 * A stream shorter than the head check needs is refused at its end, before the writer
 * can finish.
 */
export function createWriteGuard(options: { maxBytes: number; checkHead?: (head: Buffer) => string | null }): WriteGuard {
  const { maxBytes, checkHead } = options;
  let bytes = 0;
  let head = Buffer.alloc(0);
  let refusal: MediaWriteError | undefined;
  const refuse = (error: MediaWriteError) => {
    refusal = error;
    return error;
  };

  const guard = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      if (bytes > maxBytes) return callback(refuse(new MediaWriteError("too_large", `larger than ${maxBytes} bytes`)));
      if (checkHead && head.length < HEAD_BYTES) {
        head = Buffer.concat([head, chunk]).subarray(0, HEAD_BYTES);
        if (head.length >= MIN_HEAD_BYTES) {
          const problem = checkHead(head);
          if (problem) return callback(refuse(new MediaWriteError("rejected", problem)));
        }
      }
      callback(null, chunk);
    },
    flush(callback) {
      if (checkHead && head.length < MIN_HEAD_BYTES) return callback(refuse(new MediaWriteError("rejected", "file too short")));
      callback();
    },
  });
  return Object.defineProperties(guard, {
    bytes: { get: () => bytes },
    refusal: { get: () => refusal },
  }) as WriteGuard;
}
