import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { text } from "node:stream/consumers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mp4HeadProblem } from "@/lib/media/is-mp4";
import { createLocalMediaStore } from "@/lib/media/local-media-store";
import { MediaWriteError, type MediaStore } from "@/lib/media/media-store";
import { createS3MediaStore } from "@/lib/media/s3-media-store";
import { startS3Server, type S3Server } from "../support/s3-server";

/** One media store, plus what it may leave behind after a refused write. */
interface StoreUnderTest {
  media: MediaStore;
  /** Partial files (local) or unfinished multipart uploads (S3). */
  leftovers(): string[];
  cleanup(): void;
}

let s3: S3Server;

const stores: Record<string, () => StoreUnderTest> = {
  "local folder": () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "portrait-live-media-"));
    return {
      media: createLocalMediaStore(dir),
      leftovers: () => readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((name) => name.endsWith(".partial")),
      cleanup: () => rmSync(dir, { recursive: true, force: true }),
    };
  },
  "S3 bucket (s3rver)": () => ({
    media: createS3MediaStore({
      bucket: s3.bucket,
      region: "us-east-1",
      endpoint: s3.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
      prefix: "contract/",
    }),
    leftovers: () => s3.pendingUploads(),
    cleanup: () => undefined,
  }),
};

beforeAll(async () => {
  s3 = await startS3Server();
});
afterAll(async () => {
  await s3?.stop();
});

const MB = 1024 * 1024;
let ids = 0;
const key = (kind: "inputs" | "videos") => `${kind}/contract-${++ids}-${randomBytes(4).toString("hex")}.${kind === "inputs" ? "jpg" : "mp4"}`;

/** Bytes that pass the MP4 head check: a box whose type at 4..8 is "ftyp". */
function mp4Like(size: number): Buffer {
  const data = randomBytes(size);
  data.write("\x00\x00\x00\x20ftypisom", 0, "latin1");
  return data;
}

/** A web stream of `data` in uneven chunks, as a download arrives. */
function streamOf(data: Buffer, chunk = 64 * 1024 + 17): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= data.length) return controller.close();
      controller.enqueue(data.subarray(offset, (offset += chunk)));
    },
  });
}

async function bytesOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");

describe.each(Object.keys(stores))("the media store on a %s", (kind) => {
  let store: StoreUnderTest;
  let media: MediaStore;

  beforeAll(() => {
    store = (stores[kind] as () => StoreUnderTest)();
    media = store.media;
  });
  afterAll(() => store?.cleanup());

  it("answers its health check", async () => {
    expect(await media.ping()).toBe(true);
  });

  it("keeps a file: stat, whole and ranged reads, readBuffer", async () => {
    const name = key("inputs");
    const data = randomBytes(10_000);
    const before = Date.now();
    await media.putBuffer(name, data);

    const info = await media.stat(name);
    expect(info?.bytes).toBe(data.length);
    // S3 keeps whole seconds; file systems stamp from the kernel's coarse clock, a few ms behind Date.now().
    expect(info?.modifiedAt.getTime()).toBeGreaterThanOrEqual(Math.floor((before - 50) / 1000) * 1000);
    expect(info?.modifiedAt.getTime()).toBeLessThanOrEqual(Date.now() + 1000);

    expect((await bytesOf(await media.read(name))).equals(data)).toBe(true);
    // (Not bytes=0-0: s3rver answers it with the whole file; see the S3-only tests below.)
    for (const [start, end] of [
      [0, 1],
      [7, 7],
      [5, 99],
      [data.length - 10, data.length - 1],
      [0, data.length - 1],
    ] as const) {
      expect((await bytesOf(await media.read(name, { start, end }))).equals(data.subarray(start, end + 1))).toBe(true);
    }
    expect((await media.readBuffer(name)).equals(data)).toBe(true);
  });

  it("replaces a file written again under the same key", async () => {
    const name = key("inputs");
    await media.putBuffer(name, Buffer.from("first version"));
    await media.putBuffer(name, Buffer.from("second"));
    expect(await text(await media.read(name))).toBe("second");
    expect((await media.stat(name))?.bytes).toBe(6);
  });

  it("deletes, and deleting a missing file is not an error", async () => {
    const name = key("inputs");
    await media.putBuffer(name, Buffer.from("to be deleted"));
    await media.delete(name);
    expect(await media.stat(name)).toBeNull();
    await expect(media.delete(name)).resolves.toBeUndefined();
    await expect(media.delete(key("videos"))).resolves.toBeUndefined();
    expect(await media.stat(key("videos"))).toBeNull();
  });

  it("writes a stream and reports its size", async () => {
    const name = key("videos");
    const data = mp4Like(300_000);
    expect(await media.putStream(name, streamOf(data), { maxBytes: data.length, checkHead: mp4HeadProblem })).toEqual({ bytes: data.length });
    expect((await media.readBuffer(name)).equals(data)).toBe(true);
  });

  it("writes a stream larger than one multipart part and reads it back byte for byte", async () => {
    const name = key("videos");
    const data = mp4Like(12 * MB + 12_345);
    const { bytes } = await media.putStream(name, streamOf(data), { maxBytes: 20 * MB, checkHead: mp4HeadProblem });
    expect(bytes).toBe(data.length);
    expect((await media.stat(name))?.bytes).toBe(data.length);
    expect(sha256(await bytesOf(await media.read(name)))).toBe(sha256(data));
    // Across the first part boundary (5 MB) and at the very end.
    for (const [start, end] of [
      [5 * MB - 10, 5 * MB + 10],
      [data.length - 100, data.length - 1],
    ] as const) {
      expect((await bytesOf(await media.read(name, { start, end }))).equals(data.subarray(start, end + 1))).toBe(true);
    }
    expect(store.leftovers()).toEqual([]);
  });

  it("refuses a stream past maxBytes and keeps nothing, before and after the first part", async () => {
    for (const [size, maxBytes] of [
      [50_000, 20_000],
      [13 * MB, 11 * MB],
    ] as const) {
      const name = key("videos");
      const refused = media.putStream(name, streamOf(mp4Like(size)), { maxBytes, checkHead: mp4HeadProblem });
      await expect(refused).rejects.toBeInstanceOf(MediaWriteError);
      await expect(refused).rejects.toMatchObject({ reason: "too_large" });
      expect(await media.stat(name)).toBeNull();
    }
    expect(store.leftovers()).toEqual([]);
  });

  it("refuses a stream whose head fails the check, or that is too short to check, and keeps nothing", async () => {
    const name = key("videos");
    for (const data of [Buffer.from("<html><body>not a video</body></html>"), randomBytes(6 * MB), Buffer.from("ftyp")]) {
      const refused = media.putStream(name, streamOf(data), { maxBytes: 20 * MB, checkHead: mp4HeadProblem });
      await expect(refused).rejects.toMatchObject({ name: "MediaWriteError", reason: "rejected" });
      expect(await media.stat(name)).toBeNull();
    }
    expect(store.leftovers()).toEqual([]);
  });

  it("leaves the existing file untouched when a new write under its key is refused", async () => {
    const name = key("videos");
    const original = mp4Like(2_000);
    await media.putStream(name, streamOf(original), { maxBytes: MB, checkHead: mp4HeadProblem });
    await expect(media.putStream(name, streamOf(mp4Like(8 * MB)), { maxBytes: 7 * MB })).rejects.toMatchObject({ reason: "too_large" });
    expect((await media.readBuffer(name)).equals(original)).toBe(true);
  });

  it("refuses keys outside the allowed format before touching storage", async () => {
    const bad = ["../secrets.jpg", "inputs/../../etc/passwd", "inputs/a/b.jpg", "videos/x.exe", "other/x.jpg", "inputs/.jpg", "/inputs/x.jpg", ""];
    const requestsBefore = s3.requests().length;
    for (const name of bad) {
      await expect(media.putBuffer(name, Buffer.from("x"))).rejects.toThrow(/invalid media key/);
      await expect(media.putStream(name, streamOf(Buffer.from("x")), { maxBytes: 10 })).rejects.toThrow(/invalid media key/);
      await expect(media.stat(name)).resolves.toBeNull();
      await expect(media.read(name)).rejects.toThrow(/invalid media key/);
      await expect(media.readBuffer(name)).rejects.toThrow(/invalid media key/);
      await expect(media.delete(name)).rejects.toThrow(/invalid media key/);
    }
    expect(s3.requests().length).toBe(requestsBefore);
  });
});

describe("the S3 media store, as seen by the S3 server", () => {
  const storeWith = (secretAccessKey: string, prefix = "seen/") =>
    createS3MediaStore({
      bucket: s3.bucket,
      region: "us-east-1",
      endpoint: s3.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey },
      prefix,
    });

  it("sends a large stream as a multipart upload, parts bounded in size, under the prefix", async () => {
    const media = storeWith(s3.secretAccessKey);
    const from = s3.requests().length;
    await media.putStream("videos/multipart.mp4", streamOf(mp4Like(12 * MB)), { maxBytes: 20 * MB });
    const sent = s3.requests().slice(from);
    expect(sent.every((request) => request.path === `/${s3.bucket}/seen/videos/multipart.mp4`)).toBe(true);
    expect(
      sent.map(
        (request) =>
          `${request.method} ${request.query
            .filter((name) => name !== "x-id")
            .sort()
            .join("&")}`,
      ),
    ).toEqual(["POST uploads", "PUT partNumber&uploadId", "PUT partNumber&uploadId", "PUT partNumber&uploadId", "POST uploadId"]);
  });

  it("aborts the multipart upload when the stream is refused after parts were sent", async () => {
    const media = storeWith(s3.secretAccessKey);
    const from = s3.requests().length;
    await expect(media.putStream("videos/aborted.mp4", streamOf(mp4Like(13 * MB)), { maxBytes: 11 * MB })).rejects.toMatchObject({
      reason: "too_large",
    });
    const sent = s3
      .requests()
      .slice(from)
      .map(
        (request) =>
          `${request.method} ${request.query
            .filter((name) => name !== "x-id")
            .sort()
            .join("&")}`,
      );
    expect(sent[0]).toBe("POST uploads");
    expect(sent.at(-1)).toBe("DELETE uploadId");
    expect(sent).not.toContain("POST uploadId");
    expect(s3.pendingUploads()).toEqual([]);
  });

  it("refuses a range answer that does not match the request instead of streaming wrong bytes", async () => {
    // s3rver answers bytes=0-0 with the whole object (real S3 sends one byte): a handy misbehaving store.
    const media = storeWith(s3.secretAccessKey);
    await media.putBuffer("inputs/range.jpg", Buffer.from("0123456789"));
    await expect(media.read("inputs/range.jpg", { start: 0, end: 0 })).rejects.toThrow(/answered bytes 0-9\/10 for bytes 0-0/);
    expect(await text(await media.read("inputs/range.jpg", { start: 0, end: 1 }))).toBe("01");
  });

  it("with a wrong secret key: the health check fails and stat reports the error rather than a missing file", async () => {
    const media = storeWith("not-the-secret");
    expect(await media.ping()).toBe(false);
    await expect(media.stat("videos/multipart.mp4")).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
    await expect(media.putBuffer("inputs/denied.jpg", Buffer.from("x"))).rejects.toMatchObject({ name: "SignatureDoesNotMatch" });
  });
});
