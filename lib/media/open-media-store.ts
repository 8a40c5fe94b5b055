import "server-only";
import path from "node:path";
import type { Env } from "@/lib/env";
import { createLocalMediaStore } from "./local-media-store";
import type { MediaStore } from "./media-store";
import type { S3MediaConfig } from "./s3-client";

export type MediaKind = "local" | "s3";

/** The S3 settings, when S3_BUCKET moves media off this machine. */
export function s3MediaConfig(config: Env): S3MediaConfig | undefined {
  if (!config.S3_BUCKET) return undefined;
  const { S3_ACCESS_KEY_ID: accessKeyId, S3_SECRET_ACCESS_KEY: secretAccessKey } = config;
  return {
    bucket: config.S3_BUCKET,
    region: config.S3_REGION,
    endpoint: config.S3_ENDPOINT,
    // S3-compatible services rarely have per-bucket host names; AWS itself prefers them.
    forcePathStyle: config.S3_FORCE_PATH_STYLE ?? config.S3_ENDPOINT !== undefined,
    credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
    prefix: config.S3_PREFIX,
  };
}

export const mediaKindFor = (config: Env): MediaKind => (s3MediaConfig(config) ? "s3" : "local");

/**
 * The configured media store: S3 when S3_BUCKET is set, else DATA_DIR/media. The S3 client
 * (the AWS SDK, several MB of code) is loaded only when it is used.
 */
export async function openMediaStore(config: Env, dataDir: string, onPingFailure?: (reason: string) => void): Promise<{ media: MediaStore; location: string }> {
  const s3 = s3MediaConfig(config);
  if (s3) {
    const where = `${s3.endpoint ?? `s3.${s3.region}`}/${s3.bucket}/${s3.prefix}`;
    const { createS3MediaStore } = await import("./s3-media-store");
    return { media: createS3MediaStore(s3, { onPingFailure }), location: where };
  }
  const root = path.join(dataDir, "media");
  return { media: createLocalMediaStore(root, { minFreeBytes: config.MEDIA_MIN_FREE_MB * 1024 * 1024 }), location: root };
}
