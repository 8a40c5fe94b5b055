import "server-only";
import { Readable } from "node:stream";
import parseRange from "range-parser";
import { ApiError } from "@/lib/errors";
import type { MediaStore } from "@/lib/media/media-store";
import { errorResponse } from "./respond";

export interface ServeMediaOptions {
  media: MediaStore;
  key: string;
  contentType: string;
  /** Set to send Content-Disposition: attachment with this file name. */
  downloadName?: string;
  /** Media under a key never changes, so browsers and proxies may keep it. */
  cacheControl?: string;
}

/**
 * Streams a stored file from the media store (local folder or S3) with HTTP Range (206)
 * and ETag support; nothing is buffered in memory whatever the file size.
 */
export async function serveMedia(request: Request, options: ServeMediaOptions): Promise<Response> {
  const info = await options.media.stat(options.key);
  if (!info) throw new ApiError("not_found", "The file is not available.");
  const etag = `"${info.bytes.toString(36)}-${info.modifiedAt.getTime().toString(36)}"`;
  const headers = new Headers({
    "Content-Type": options.contentType,
    "Accept-Ranges": "bytes",
    ETag: etag,
    "Last-Modified": info.modifiedAt.toUTCString(),
    "Cache-Control": options.cacheControl ?? "private, max-age=31536000, immutable",
    "X-Content-Type-Options": "nosniff",
  });
  if (options.downloadName) {
    headers.set("Content-Disposition", `attachment; filename="${options.downloadName}"`);
  }

  if (request.headers.get("if-none-match") === etag) {
    return new Response(null, { status: 304, headers });
  }

  const rangeHeader = request.headers.get("range");
  const ifRange = request.headers.get("if-range");
  const useRange = rangeHeader && (!ifRange || ifRange === etag);
  if (useRange) {
    const ranges = parseRange(info.bytes, rangeHeader, { combine: true });
    if (ranges === -1) {
      headers.set("Content-Range", `bytes */${info.bytes}`);
      return errorResponse(new ApiError("range_not_satisfiable", "The requested byte range is outside the file."), headers);
    }
    // A malformed header (-2) or several ranges: answer with the whole file, as HTTP allows.
    if (ranges !== -2 && ranges.length === 1 && ranges[0]) {
      const { start, end } = ranges[0];
      headers.set("Content-Range", `bytes ${start}-${end}/${info.bytes}`);
      headers.set("Content-Length", String(end - start + 1));
      const body = request.method === "HEAD" ? null : toWebStream(await options.media.read(options.key, { start, end }));
      return new Response(body, { status: 206, headers });
    }
  }

  headers.set("Content-Length", String(info.bytes));
  const body = request.method === "HEAD" ? null : toWebStream(await options.media.read(options.key));
  return new Response(body, { status: 200, headers });
}

/**
 * Pull-based: a chunk is read from the store only when the response asks for the next one,
 * so a slow client holds one chunk, not the whole range (Node 20's Readable.toWeb reads
 * ahead without limit). Cancelling (the client went away) closes the file or connection.
 */
function toWebStream(stream: Readable): ReadableStream<Uint8Array> {
  const chunks = stream[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const { value, done } = (await chunks.next()) as IteratorResult<Buffer>;
        if (done) controller.close();
        else controller.enqueue(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
      },
      cancel() {
        stream.destroy();
      },
    },
    { highWaterMark: 0 },
  );
}
