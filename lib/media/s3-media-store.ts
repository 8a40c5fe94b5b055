import "server-only";
import { Readable, pipeline } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { DeleteObjectCommand, GetObjectCommand, HeadBucketCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { assertMediaKey, isMediaKey, type MediaStore } from "./media-store";
import { createS3Client, type S3MediaConfig } from "./s3-client";
import { createWriteGuard } from "./write-guard";

/**
 * Streamed uploads are cut into parts of this size (S3's minimum), with at most this many
 * parts in flight: memory per upload stays near (queue + 1) × part size whatever the file.
 */
const PART_BYTES = 5 * 1024 * 1024;
const UPLOAD_QUEUE = 2;
const PING_TIMEOUT_MS = 5_000;

const CONTENT_TYPES: Record<string, string> = { jpg: "image/jpeg", mp4: "video/mp4", gif: "image/gif", webp: "image/webp" };

/** The SDK's errors carry the HTTP status; read it by shape so bundling cannot break instanceof. */
function httpStatusOf(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null || !("$metadata" in error)) return undefined;
  const metadata = (error as { $metadata?: { httpStatusCode?: number } }).$metadata;
  return metadata?.httpStatusCode;
}

/** A short, secret-free description of a failed call, for logs. */
function describeFailure(error: unknown): string {
  const name = error instanceof Error ? error.name : "Error";
  const status = httpStatusOf(error);
  return status ? `${name} (HTTP ${status})` : `${name}: ${error instanceof Error ? error.message : String(error)}`;
}

function asReadable(body: unknown, key: string): Readable {
  if (body instanceof Readable) return body;
  throw new Error(`S3 returned no readable body for ${key}`);
}

/**
 * MediaStore on S3 or an S3-compatible service. Objects appear only when complete: small
 * files go up in one PutObject, larger streams as a multipart upload that S3 assembles on
 * completion and that is aborted (its parts dropped) when the guard refuses the stream.
 */
export function createS3MediaStore(config: S3MediaConfig, options: { client?: S3Client; onPingFailure?: (reason: string) => void } = {}): MediaStore {
  const client = options.client ?? createS3Client(config);
  const { bucket: Bucket } = config;
  const objectKey = (key: string) => {
    assertMediaKey(key);
    return `${config.prefix}${key}`;
  };
  const contentType = (key: string) => CONTENT_TYPES[key.slice(key.lastIndexOf(".") + 1)];

  async function getObject(key: string, range?: { start: number; end: number }) {
    const response = await client.send(new GetObjectCommand({ Bucket, Key: objectKey(key), Range: range ? `bytes=${range.start}-${range.end}` : undefined }));
    const body = asReadable(response.Body, key);
    // Our answer's Content-Length promises exactly this range; a store that sends other
    // bytes must fail the request rather than corrupt the response.
    if (range && !response.ContentRange?.startsWith(`bytes ${range.start}-${range.end}/`)) {
      body.destroy();
      throw new Error(`S3 answered ${response.ContentRange ?? "no Content-Range"} for bytes ${range.start}-${range.end} of ${key}`);
    }
    return body;
  }

  return {
    async putStream(key, body, { maxBytes, checkHead }) {
      const Key = objectKey(key);
      const guard = createWriteGuard({ maxBytes, checkHead });
      // A refusal stops the download; a failed download fails the upload.
      const guarded = pipeline(Readable.fromWeb(body as WebReadableStream), guard, () => undefined);
      const upload = new Upload({
        client,
        params: { Bucket, Key, Body: guarded, ContentType: contentType(key) },
        partSize: PART_BYTES,
        queueSize: UPLOAD_QUEUE,
        leavePartsOnError: false,
      });
      try {
        await upload.done();
        return { bytes: guard.bytes };
      } catch (error) {
        guarded.destroy();
        // lib-storage has aborted the multipart upload by now; if that abort failed it
        // reports the abort's error, but the caller needs to know the stream was refused.
        throw guard.refusal ?? error;
      }
    },

    async putBuffer(key, data) {
      await client.send(new PutObjectCommand({ Bucket, Key: objectKey(key), Body: data, ContentLength: data.length, ContentType: contentType(key) }));
    },

    async stat(key) {
      // As in the local store, a key that cannot exist is simply not there (routes rely on it).
      if (!isMediaKey(key)) return null;
      try {
        const head = await client.send(new HeadObjectCommand({ Bucket, Key: objectKey(key) }));
        return { bytes: head.ContentLength ?? 0, modifiedAt: head.LastModified ?? new Date(0) };
      } catch (error) {
        // Only "not found" means missing; anything else (credentials, network) is a real failure.
        if (httpStatusOf(error) === 404) return null;
        throw error;
      }
    },

    read: (key, range) => getObject(key, range),

    async readBuffer(key) {
      const stream = await getObject(key);
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
      return Buffer.concat(chunks);
    },

    async delete(key) {
      // S3 answers 204 for a key that does not exist, so deleting twice is fine.
      await client.send(new DeleteObjectCommand({ Bucket, Key: objectKey(key) }));
    },

    async ping() {
      try {
        await client.send(new HeadBucketCommand({ Bucket }), { abortSignal: AbortSignal.timeout(PING_TIMEOUT_MS) });
        return true;
      } catch (error) {
        options.onPingFailure?.(describeFailure(error));
        return false;
      }
    },

    // A bucket has no free space to measure.
    hasRoom: async () => true,

    // Interrupted multipart uploads are aborted by lib-storage, or by the bucket's lifecycle rule.
    sweep: async () => ({ removed: 0 }),
  };
}
