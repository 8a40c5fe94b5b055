import "server-only";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { isIP } from "node:net";
import { guardedLookup, type Resolver } from "./guarded-lookup";
import { UpstreamError, type ResultDownload } from "./provider";
import { destinationAllowed, RefusedDestinationError } from "./result-destination";

export interface ResultFetchPolicy {
  timeoutMs: number;
  maxBytes: number;
  /** Tests only: plain http, and loopback destinations (the fake CDN). */
  allowInsecure: boolean;
  maxRedirects?: number;
  /** Name resolution (tests pass a fake so no real lookup or connection happens). */
  resolver?: Resolver;
}

const refused = (message: string) => new UpstreamError("result_invalid", message, { taskMayExist: true });
const PRIVATE_DESTINATION = "The provider's video link points to a private or local network address.";

/**
 * Opens a result link the provider returned. https only (unless configured for tests),
 * no credentials sent, public addresses only (checked on the resolved address at connect
 * time, for every hop), a bounded number of redirects each re-checked, and a time limit.
 */
export async function openResultUrl(rawUrl: string, policy: ResultFetchPolicy): Promise<ResultDownload> {
  const signal = AbortSignal.timeout(policy.timeoutMs);
  let url = checkUrl(rawUrl, policy);
  for (let redirects = 0; ; redirects++) {
    const response = await get(url, policy, signal);
    const status = response.statusCode ?? 0;
    const location = response.headers.location;
    if (status >= 300 && status < 400 && location) {
      response.destroy();
      if (redirects >= (policy.maxRedirects ?? 3)) throw refused("The provider's video link redirected too many times.");
      url = checkUrl(new URL(location, url).toString(), policy);
      continue;
    }
    if (status < 200 || status >= 300) {
      response.destroy();
      const expired = [401, 403, 404, 410].includes(status);
      throw new UpstreamError(
        expired ? "result_expired" : "server_error",
        expired ? "The provider's video link has expired or was refused." : "The provider's video link answered with an error.",
        { httpStatus: status, taskMayExist: true },
      );
    }
    const declared = Number(response.headers["content-length"]);
    const contentLength = Number.isFinite(declared) && declared > 0 ? declared : null;
    if (contentLength !== null && contentLength > policy.maxBytes) {
      response.destroy();
      throw refused("The provider's video is larger than we accept.");
    }
    return { body: toWebStream(response), contentLength };
  }
}

function get(url: URL, policy: ResultFetchPolicy, signal: AbortSignal): Promise<IncomingMessage> {
  const request = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const outgoing = request(url, {
      method: "GET",
      signal,
      // A fresh connection per hop, so every hop's address is checked as it connects.
      agent: false,
      lookup: guardedLookup(url.protocol, policy.allowInsecure, policy.resolver),
      headers: { Accept: "video/mp4,*/*" },
    });
    outgoing.once("response", resolve);
    outgoing.once("error", (error) =>
      reject(
        error instanceof RefusedDestinationError
          ? refused(PRIVATE_DESTINATION)
          : new UpstreamError("network", "The finished video could not be downloaded from the provider.", { taskMayExist: true }),
      ),
    );
    outgoing.end();
  });
}

function checkUrl(raw: string, policy: ResultFetchPolicy): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refused("The provider sent an invalid video link.");
  }
  const allowed = url.protocol === "https:" || (policy.allowInsecure && url.protocol === "http:");
  if (!allowed || url.username || url.password) throw refused("The provider sent a video link we will not follow.");
  // An address written in the link is never looked up, so it is checked here, before connecting.
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (isIP(host) && !destinationAllowed(host, url.protocol, policy.allowInsecure)) throw refused(PRIVATE_DESTINATION);
  return url;
}

/**
 * Pull-based, like the media responses: a chunk is read from the socket only when the
 * store asks for the next one, so a slow disk or bucket holds one chunk, not the file.
 */
function toWebStream(response: IncomingMessage): ReadableStream<Uint8Array> {
  const chunks = response[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { value, done } = (await chunks.next()) as IteratorResult<Buffer>;
          if (done) controller.close();
          else controller.enqueue(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
        } catch {
          controller.error(new UpstreamError("network", "The download of the finished video was interrupted.", { taskMayExist: true }));
        }
      },
      cancel() {
        response.destroy();
      },
    },
    { highWaterMark: 0 },
  );
}
