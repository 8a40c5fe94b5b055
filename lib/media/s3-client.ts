import "server-only";
import { S3Client } from "@aws-sdk/client-s3";

export interface S3MediaConfig {
  bucket: string;
  region: string;
  /** Origin of an S3-compatible service; unset means AWS S3. */
  endpoint?: string;
  forcePathStyle: boolean;
  /** Unset: the SDK's default credential chain (environment, shared profile, instance or task role). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** "" or a folder ending in "/", put in front of every key. */
  prefix: string;
}

/** Every media stream holds one connection for as long as a viewer keeps reading it. */
const MAX_SOCKETS = 200;

export function createS3Client(config: S3MediaConfig): S3Client {
  return new S3Client({
    region: config.region,
    endpoint: config.endpoint,
    forcePathStyle: config.forcePathStyle,
    credentials: config.credentials,
    // Since 3.729 (January 2025) the SDK adds CRC checksum headers to every upload
    // (aws-chunked bodies with trailing checksums for streams) and validates them on
    // downloads. S3-compatible services such as Cloudflare R2, Backblaze B2 and older MinIO
    // releases refused those requests, so checksums are sent and checked only where the S3
    // API requires them; SigV4 still signs each request and TLS protects the bytes in transit.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
    requestHandler: {
      // A store that does not answer fails health checks and requests instead of hanging them.
      connectionTimeout: 5_000,
      httpAgent: { keepAlive: true, maxSockets: MAX_SOCKETS },
      httpsAgent: { keepAlive: true, maxSockets: MAX_SOCKETS },
    },
  });
}
