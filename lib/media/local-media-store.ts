import "server-only";
import { constants, createReadStream, createWriteStream } from "node:fs";
import { access, chmod, mkdir, readdir, readFile, rename, rm, rmdir, stat, statfs, writeFile } from "node:fs/promises";
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
 * concurrent streams grew the server by 40–55 MB instead of ~70 MB with the 64 KB default),
 * while the response pulls only one piece ahead.
 */
const READ_CHUNK_BYTES = 256 * 1024;

/** Portraits and videos are private: only the server's own user may read them. */
const FILE_MODE = 0o600;
const DIR_MODE = 0o700;
const PARTIAL_SUFFIX = ".partial";

export interface LocalMediaOptions {
  /** Below this much free space on the folder's disk the store counts as full. */
  minFreeBytes?: number;
}

/** MediaStore in a local folder (the embedded default: DATA_DIR/media). */
export function createLocalMediaStore(root: string, options: LocalMediaOptions = {}): MediaStore {
  const minFreeBytes = options.minFreeBytes ?? 0;
  const fileOf = (key: string) => {
    assertMediaKey(key);
    return path.join(root, key);
  };
  const partialOf = (file: string) => `${file}.${nanoid(8)}${PARTIAL_SUFFIX}`;
  const folderFor = (file: string) => mkdir(path.dirname(file), { recursive: true, mode: DIR_MODE });

  return {
    async putStream(key, body, { maxBytes, checkHead }) {
      const file = fileOf(key);
      await folderFor(file);
      const partial = partialOf(file);
      const guard = createWriteGuard({ maxBytes, checkHead });
      try {
        await pipeline(Readable.fromWeb(body as WebReadableStream), guard, createWriteStream(partial, { mode: FILE_MODE }));
        await rename(partial, file);
        return { bytes: guard.bytes };
      } catch (error) {
        await rm(partial, { force: true });
        throw error;
      }
    },

    async putBuffer(key, data) {
      const file = fileOf(key);
      await folderFor(file);
      const partial = partialOf(file);
      try {
        await writeFile(partial, data, { mode: FILE_MODE });
        await rename(partial, file);
      } catch (error) {
        // A full disk leaves a short (often empty) file behind: never keep it.
        await rm(partial, { force: true });
        throw error;
      }
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
      const file = fileOf(key);
      await rm(file, { force: true });
      // Derived files sit in a folder per generation: the last one out takes the folder along
      // (rmdir refuses a folder that still holds a file; a folder left behind is only untidy).
      if (key.startsWith("derived/")) await rmdir(path.dirname(file)).catch(() => undefined);
    },

    async ping() {
      try {
        await mkdir(root, { recursive: true, mode: DIR_MODE });
        await access(root, constants.W_OK);
        return true;
      } catch {
        return false;
      }
    },

    async hasRoom(bytes = 0) {
      try {
        await mkdir(root, { recursive: true, mode: DIR_MODE });
        const disk = await statfs(root);
        return disk.bavail * disk.bsize - bytes >= minFreeBytes;
      } catch {
        // Cannot measure: let the write itself find out.
        return true;
      }
    },

    async sweep() {
      let removed = 0;
      await mkdir(root, { recursive: true, mode: DIR_MODE });
      await chmod(root, DIR_MODE);
      // Derived media sit one folder deeper, one folder per generation.
      const derivedRoot = path.join(/*turbopackIgnore: true*/ root, "derived");
      const derived = (await readdir(/*turbopackIgnore: true*/ derivedRoot).catch(() => [] as string[])).map((name) => path.join("derived", name));
      for (const folder of ["inputs", "videos", ...derived]) {
        // The ignore comments keep the build's file tracer from reading these runtime data
        // paths as "anything in the project" and copying the whole repository into the image.
        const dir = path.join(/*turbopackIgnore: true*/ root, folder);
        const names = await readdir(/*turbopackIgnore: true*/ dir).catch(() => null);
        if (names === null) continue;
        await chmod(dir, DIR_MODE);
        for (const name of names) {
          const file = path.join(/*turbopackIgnore: true*/ dir, name);
          if (name.endsWith(PARTIAL_SUFFIX)) {
            // Left by a write the process never finished (it stopped mid-download).
            await rm(file, { force: true });
            removed++;
          } else {
            // Files written before they were made private.
            await chmod(file, FILE_MODE).catch(() => undefined);
          }
        }
      }
      return { removed };
    },
  };
}
