import "server-only";
import { ApiError } from "@/lib/errors";

/**
 * Reads a JSON body while counting bytes as they stream in, and stops past the limit
 * so no request can make the server buffer an unbounded body.
 */
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  requireJsonContentType(request);
  return parseJson(await readBodyBytes(request, maxBytes));
}

/**
 * For routes whose body is optional: no body at all, or an empty one whatever its
 * Content-Type (`curl -X POST -H 'Content-Type: application/json'`, fetch with headers and
 * no body), reads as `{}`, so its fields take their defaults. A body that is there must be JSON.
 */
export async function readOptionalJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  const bytes = await readAll(request, maxBytes, () => bodyTooLarge(maxBytes));
  if (bytes.length === 0) return {};
  requireJsonContentType(request);
  return parseJson(bytes);
}

/** The whole body, counted as it streams in: refused (and the stream cancelled) past `maxBytes`. */
export async function readBodyBytes(request: Request, maxBytes: number, tooLarge: () => ApiError = () => bodyTooLarge(maxBytes)): Promise<Buffer> {
  const bytes = await readAll(request, maxBytes, tooLarge);
  if (bytes.length === 0) throw new ApiError("invalid_body", "The request body is empty.");
  return bytes;
}

/** Every byte of the body (none when there is no body), refused past `maxBytes`. */
async function readAll(request: Request, maxBytes: number, tooLarge: () => ApiError): Promise<Buffer> {
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  if (!request.body) return Buffer.alloc(0);

  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

function requireJsonContentType(request: Request) {
  const contentType = request.headers.get("content-type") ?? "";
  if (!/^application\/json\b/i.test(contentType)) {
    throw new ApiError("unsupported_media_type", "Send the request body as application/json.");
  }
}

function parseJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString("utf8")) as unknown;
  } catch {
    throw new ApiError("invalid_body", "The request body is not valid JSON.");
  }
}

function bodyTooLarge(maxBytes: number) {
  // Small bodies (settings) are capped in KB; a cap rounded to "0 MB" would tell nobody anything.
  const size = maxBytes >= 1024 * 1024 ? `${Math.round(maxBytes / (1024 * 1024))} MB` : `${Math.max(1, Math.round(maxBytes / 1024))} KB`;
  return new ApiError("body_too_large", `The request body is larger than ${size}.`);
}
