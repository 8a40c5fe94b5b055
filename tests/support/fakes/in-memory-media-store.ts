import { Readable } from "node:stream";
import type { MediaStore } from "@/lib/media/media-store";

/** A media store in memory (files by key), for unit tests of code that stores or deletes media. */
export function createInMemoryMediaStore() {
  const files = new Map<string, { data: Buffer; modifiedAt: Date }>();
  const store: MediaStore & { files: typeof files } = {
    files,
    async putStream(key, body, { maxBytes, checkHead }) {
      const data = Buffer.from(await new Response(body).arrayBuffer());
      if (data.length > maxBytes) throw new Error(`over ${maxBytes} bytes`);
      const refusal = checkHead?.(data.subarray(0, 64));
      if (refusal) throw new Error(refusal);
      files.set(key, { data, modifiedAt: new Date() });
      return { bytes: data.length };
    },
    async putBuffer(key, data) {
      files.set(key, { data: Buffer.from(data), modifiedAt: new Date() });
    },
    async stat(key) {
      const file = files.get(key);
      return file ? { bytes: file.data.length, modifiedAt: file.modifiedAt } : null;
    },
    async read(key, range) {
      const data = await store.readBuffer(key);
      return Readable.from([range ? data.subarray(range.start, range.end + 1) : data]);
    },
    async readBuffer(key) {
      const file = files.get(key);
      if (!file) throw Object.assign(new Error(`no such file ${key}`), { code: "ENOENT" });
      return file.data;
    },
    async delete(key) {
      files.delete(key);
    },
    ping: async () => true,
    hasRoom: async () => true,
    sweep: async () => ({ removed: 0 }),
  };
  return store;
}
