import { constants, createReadStream, createWriteStream } from "node:fs";
import { access, mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { nanoid } from "nanoid";
import { assertMediaKey, type MediaStore } from "./media-store";
import { createWriteGuard } from "./write-guard";

/**
 * Reads in 256 KB pieces: every piece costs a trip through the web-stream machinery of the
 * response, so larger pieces mean far less garbage per streamed megabyte (measured: 50
 * concurrent streams grew the server by ~50 MB instead of ~75 MB with the 64 KB default),
 * while the response pulls only one piece ahead.
 */
const READ_CHUNK_BYTES = 256 * 1024;

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
      const guard = createWriteGuard({ maxBytes, checkHead });
      try {
        await pipeline(Readable.fromWeb(body as WebReadableStream), guard, createWriteStream(partial));
        await rename(partial, file);
        return { bytes: guard.bytes };
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

    async read(key, range) {
      return createReadStream(fileOf(key), { highWaterMark: READ_CHUNK_BYTES, ...(range ? { start: range.start, end: range.end } : {}) });
    },

    async readBuffer(key) {
      return readFile(fileOf(key));
    },

    async delete(key) {
      await rm(fileOf(key), { force: true });
    },

    async ping() {
      try {
        await mkdir(root, { recursive: true });
        await access(root, constants.W_OK);
        return true;
      } catch {
        return false;
      }
    },
  };
}
