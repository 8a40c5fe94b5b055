import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import S3rver from "s3rver";
import { fillS3rverGaps, type RecordedRequest } from "./s3rver-gaps";

export interface S3Server {
  /** http://127.0.0.1:<port> */
  endpoint: string;
  bucket: string;
  /** A key pair made for this server (distinctive, so tests can look for leaks). */
  accessKeyId: string;
  secretAccessKey: string;
  /** Multipart uploads begun and neither completed nor aborted (read from s3rver's folder: it has no ListMultipartUploads). */
  pendingUploads(): string[];
  /** Every request the server received, in order. */
  requests(): RecordedRequest[];
  stop(): Promise<void>;
}

interface S3rverAccount {
  createKeyPair(id: string, secret: string): void;
  revokeAccessKey(id: string): void;
}
const require = createRequire(import.meta.url);
/** s3rver's one account (its model module has no typings): where it looks up access key ids. */
const s3rverAccount = (require("s3rver/lib/models/account") as { DUMMY_ACCOUNT: S3rverAccount }).DUMMY_ACCOUNT;

/**
 * A real S3-protocol HTTP server for tests: s3rver on a spare loopback port, keeping its
 * objects in a temporary folder, with one empty bucket, its own key pair and SigV4
 * signatures checked.
 */
export async function startS3Server(options: { bucket?: string } = {}): Promise<S3Server> {
  const bucket = options.bucket ?? "portrait-media";
  const accessKeyId = `PLTEST${randomBytes(6).toString("hex").toUpperCase()}`;
  const secretAccessKey = `s3-secret-${randomBytes(12).toString("hex")}`;
  s3rverAccount.createKeyPair(accessKeyId, secretAccessKey);
  const directory = mkdtempSync(path.join(os.tmpdir(), "portrait-live-s3-"));
  const s3rver = new S3rver({ directory, silent: true, configureBuckets: [{ name: bucket, configs: [] }] });
  await s3rver.configureBuckets();

  const recorded: RecordedRequest[] = [];
  const handler = fillS3rverGaps(s3rver.callback(), {
    directory,
    secrets: new Map([[accessKeyId, secretAccessKey]]),
    record: (request) => recorded.push(request),
  });
  const server = createServer(handler);
  const port = await new Promise<number>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      return typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"));
    });
  });

  const uploadsDir = path.join(directory, bucket, "._S3rver_uploads");
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    accessKeyId,
    secretAccessKey,
    pendingUploads: () => (existsSync(uploadsDir) ? readdirSync(uploadsDir) : []),
    requests: () => [...recorded],
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      s3rverAccount.revokeAccessKey(accessKeyId);
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
