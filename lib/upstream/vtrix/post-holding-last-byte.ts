import "server-only";
import http from "node:http";
import https from "node:https";
import { Readable } from "node:stream";

/** Raised when `beforeSend` refuses: nothing complete was sent, so the gateway starts nothing. */
export class SendRefused extends Error {
  constructor(readonly refusal: unknown) {
    super("the request was stopped before its last byte");
    this.name = "SendRefused";
  }
}

const NO_BODY_STATUSES = new Set([101, 204, 205, 304]);

/**
 * POSTs `body` with everything but its last byte sent first; the last byte waits for
 * `beforeSend`. A server acts on a request only once its body is complete, so a process
 * that dies before `beforeSend` has resolved has sent nothing the gateway would act on,
 * and one that dies after it has sent all but one byte already: the create is marked as
 * sent within microseconds of really leaving.
 */
export function postHoldingLastByte(
  url: string,
  options: { headers: Record<string, string>; body: string; signal: AbortSignal; beforeSend: () => Promise<void> },
): Promise<Response> {
  const payload = Buffer.from(options.body, "utf8");
  const target = new URL(url);
  const transport = target.protocol === "https:" ? https : http;
  return new Promise<Response>((resolve, reject) => {
    const request = transport.request(target, {
      method: "POST",
      headers: { ...options.headers, "Content-Length": String(payload.length) },
      signal: options.signal,
    });
    request.once("error", reject);
    request.once("response", (incoming) => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(incoming.headers)) {
        if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
      }
      const status = incoming.statusCode ?? 502;
      const stream = NO_BODY_STATUSES.has(status) ? null : (Readable.toWeb(incoming) as ReadableStream<Uint8Array>);
      if (!stream) incoming.resume();
      resolve(new Response(stream, { status, headers }));
    });
    // The callback runs once these bytes are handed to the socket, i.e. connected and on their way.
    request.write(payload.subarray(0, -1), (error) => {
      if (error) return; // reported through "error"
      options.beforeSend().then(
        () => request.end(payload.subarray(-1)),
        (refusal: unknown) => {
          request.destroy();
          reject(new SendRefused(refusal));
        },
      );
    });
  });
}
