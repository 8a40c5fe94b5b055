import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { nanoid } from "nanoid";
import { assertMediaKey, MediaWriteError, type MediaStore } from "./media-store";

/** MediaStore in a local folder (the embedded default: DATA_DIR/media). */
export function createLocalMediaStore(root: string): MediaStore {
  const fileOf = (key: string) => {
    assertMediaKey(key);
    return path.join(root, key);
  };

  return {
    async putStream(key, body, { maxBytes, checkHead }) {
      const file = fileOf(key);
      await mkdir(path.dirname(file), { recursive: true });
      const partial = `${file}.${nanoid(8)}.partial`;
      let bytes = 0;
      let head = Buffer.alloc(0);
      const guard = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          bytes += chunk.length;
          if (bytes > maxBytes) return callback(new MediaWriteError("too_large", `larger than ${maxBytes} bytes`));
          if (checkHead && head.length < 64) {
            head = Buffer.concat([head, chunk]).subarray(0, 64);
            if (head.length >= 12) {
              const problem = checkHead(head);
              if (problem) return callback(new MediaWriteError("rejected", problem));
            }
          }
          callback(null, chunk);
        },
      });
      try {
        await pipeline(Readable.fromWeb(body as import("node:stream/web").ReadableStream), guard, createWriteStream(partial));
        if (checkHead && head.length < 12) throw new MediaWriteError("rejected", "file too short");
        await rename(partial, file);
        return { bytes };
      } catch (error) {
        await rm(partial, { force: true });
        throw error;
      }
    },

    async putBuffer(key, data) {
      const file = fileOf(key);
      await mkdir(path.dirname(file), { recursive: true });
      const partial = `${file}.${nanoid(8)}.partial`;
      await writeFile(partial, data);
      await rename(partial, file);
    },

    async stat(key) {
      try {
        const info = await stat(fileOf(key));
        return { bytes: info.size, modifiedAt: info.mtime };
      } catch {
        return null;
      }
    },

    read(key, range) {
      return createReadStream(fileOf(key), range ? { start: range.start, end: range.end } : {});
    },

    readBuffer: (key) => readFile(fileOf(key)),

    async delete(key) {
      await rm(fileOf(key), { force: true });
    },
  };
}
