import type { S3Client } from "@aws-sdk/client-s3";
import { createS3Client } from "@/lib/media/s3-client";
import type { S3Server } from "./s3-server";

/** Reads the test server's bucket with the SDK, as any other client would. */
export async function withBucket<T>(s3: S3Server, work: (client: S3Client) => Promise<T>): Promise<T> {
  const client = createS3Client({
    bucket: s3.bucket,
    region: "us-east-1",
    endpoint: s3.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    prefix: "",
  });
  try {
    return await work(client);
  } finally {
    client.destroy();
  }
}
