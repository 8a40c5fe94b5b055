import "server-only";
import { ApiError } from "@/lib/errors";

/**
 * Reads a JSON body while counting bytes as they stream in, and stops past the limit
 * so no request can make the server buffer an unbounded body.
 */
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  const contentType = request.headers.get("content-type") ?? "";
  if (!/^application\/json\b/i.test(contentType)) {
    throw new ApiError("unsupported_media_type", "Send the request body as application/json.");
  }
  const text = (await readBodyBytes(request, maxBytes)).toString("utf8");
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiError("invalid_body", "The request body is not valid JSON.");
  }
}

/** The whole body, counted as it streams in: refused (and the stream cancelled) past `maxBytes`. */
export async function readBodyBytes(request: Request, maxBytes: number, tooLarge: () => ApiError = () => bodyTooLarge(maxBytes)): Promise<Buffer> {
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  if (!request.body) throw new ApiError("invalid_body", "The request body is empty.");

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
  if (received === 0) throw new ApiError("invalid_body", "The request body is empty.");
  return Buffer.concat(chunks);
}

function bodyTooLarge(maxBytes: number) {
  return new ApiError("body_too_large", `The request body is larger than ${Math.round(maxBytes / (1024 * 1024))} MB.`);
}
