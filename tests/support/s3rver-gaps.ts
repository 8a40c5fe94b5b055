import { createHash, createHmac } from "node:crypto";
import { existsSync, rmSync } from "node:fs";
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import path from "node:path";
import { SignatureV4 } from "@smithy/signature-v4";

/**
 * s3rver speaks enough S3 for the SDK, but it checks only that a SigV4 request names a known
 * access key id (never the signature) and answers AbortMultipartUpload with 405. This wraps
 * its request handler to fill those two gaps, so tests can see a wrong secret refused and an
 * aborted upload dropped as on real S3. Everything else is s3rver's own behaviour.
 */

/** node:crypto behind the hash interface the SDK's signer expects. */
class Sha256 {
  private readonly hash;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    const key =
      secret === undefined || typeof secret === "string"
        ? secret
        : ArrayBuffer.isView(secret)
          ? Buffer.from(secret.buffer, secret.byteOffset, secret.byteLength)
          : Buffer.from(secret);
    this.hash = key === undefined ? createHash("sha256") : createHmac("sha256", key);
  }
  update(data: string | Uint8Array) {
    this.hash.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

interface SignedRequest {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

function parseAuthorization(header: string | undefined): SignedRequest | undefined {
  const match = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(
    header ?? "",
  );
  if (!match) return undefined;
  const [, accessKeyId = "", date = "", region = "", service = "", signedHeaders = "", signature = ""] = match;
  return { accessKeyId, date, region, service, signedHeaders: signedHeaders.split(";"), signature };
}

/** 20261125T114837Z → Date */
function parseAmzDate(value: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  return m ? new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!)) : new Date(Number.NaN);
}

/** Signs the request again with the secret we know, over the headers the client said it signed. */
async function signatureMatches(request: IncomingMessage, signed: SignedRequest, secretAccessKey: string): Promise<boolean> {
  const url = new URL(request.url ?? "/", "http://placeholder");
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of url.searchParams) {
    const existing = query[name];
    query[name] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  const headers: Record<string, string> = {};
  for (const name of signed.signedHeaders) {
    const value = request.headers[name];
    headers[name] = Array.isArray(value) ? value.join(",") : (value ?? "");
  }
  const signer = new SignatureV4({
    service: signed.service,
    region: signed.region,
    credentials: { accessKeyId: signed.accessKeyId, secretAccessKey },
    sha256: Sha256,
    uriEscapePath: false, // as S3 (the path is signed as sent)
  });
  const [host = "", port] = (request.headers.host ?? "").split(":");
  const resigned = await signer.sign(
    { method: request.method ?? "GET", protocol: "http:", hostname: host, port: port ? Number(port) : undefined, path: url.pathname, query, headers },
    { signingDate: parseAmzDate(request.headers["x-amz-date"]?.toString() ?? ""), signableHeaders: new Set(signed.signedHeaders) },
  );
  return parseAuthorization(resigned.headers.authorization)?.signature === signed.signature;
}

function sendError(response: ServerResponse, status: number, code: string, message: string) {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;
  response.writeHead(status, { "Content-Type": "application/xml", "Content-Length": Buffer.byteLength(body) });
  response.end(body);
}

export interface RecordedRequest {
  method: string;
  path: string;
  /** Query parameter names, e.g. ["uploads"] for CreateMultipartUpload. */
  query: string[];
}

export function fillS3rverGaps(
  s3rver: RequestListener,
  options: { directory: string; secrets: ReadonlyMap<string, string>; record: (request: RecordedRequest) => void },
): RequestListener {
  return (request, response) => {
    void (async () => {
      const url = new URL(request.url ?? "/", "http://placeholder");
      options.record({ method: request.method ?? "GET", path: url.pathname, query: [...url.searchParams.keys()] });

      const authorization = request.headers.authorization;
      const signed = parseAuthorization(authorization);
      if (authorization?.startsWith("AWS4-HMAC-SHA256") && !signed) {
        request.resume();
        return sendError(response, 400, "AuthorizationHeaderMalformed", "The authorization header is malformed.");
      }
      const secret = signed && options.secrets.get(signed.accessKeyId);
      // Unknown key ids and other schemes go on to s3rver, which refuses them itself.
      if (signed && secret !== undefined && !(await signatureMatches(request, signed, secret))) {
        request.resume();
        return sendError(response, 403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.");
      }

      const uploadId = url.searchParams.get("uploadId");
      if (request.method === "DELETE" && uploadId !== null) {
        // AbortMultipartUpload: drop the parts s3rver keeps in <bucket>/._S3rver_uploads/<id>.
        const bucket = url.pathname.split("/")[1] ?? "";
        const folder = path.join(options.directory, bucket, "._S3rver_uploads", uploadId);
        if (!/^[0-9a-f]{32}$/.test(uploadId) || !existsSync(folder)) {
          return sendError(response, 404, "NoSuchUpload", "The specified upload does not exist.");
        }
        rmSync(folder, { recursive: true, force: true });
        response.writeHead(204).end();
        return;
      }
      s3rver(request, response);
    })().catch((error: unknown) => sendError(response, 500, "InternalError", String(error)));
  };
}
