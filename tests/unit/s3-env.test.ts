import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";
import { s3MediaConfig } from "@/lib/media/open-media-store";

const errorFor = (source: Record<string, string>) => {
  try {
    parseEnv(source);
  } catch (error) {
    return (error as Error).message;
  }
  return "no error";
};

describe("S3 configuration", () => {
  it("keeps media local unless S3_BUCKET is set (empty counts as unset)", () => {
    expect(s3MediaConfig(parseEnv({}))).toBeUndefined();
    expect(s3MediaConfig(parseEnv({ S3_BUCKET: "" }))).toBeUndefined();
  });

  it("uses AWS S3 with the default region, virtual-host addressing and the SDK's credential chain when only a bucket is set", () => {
    expect(s3MediaConfig(parseEnv({ S3_BUCKET: "portrait-media" }))).toEqual({
      bucket: "portrait-media",
      region: "us-east-1",
      endpoint: undefined,
      forcePathStyle: false,
      credentials: undefined,
      prefix: "",
    });
  });

  it("turns path-style addressing on for a custom endpoint unless told otherwise, and trims the endpoint", () => {
    const minio = { S3_BUCKET: "media", S3_ENDPOINT: "http://127.0.0.1:9000/", S3_REGION: "auto" };
    expect(s3MediaConfig(parseEnv(minio))).toMatchObject({ endpoint: "http://127.0.0.1:9000", region: "auto", forcePathStyle: true });
    expect(s3MediaConfig(parseEnv({ ...minio, S3_FORCE_PATH_STYLE: "false" }))?.forcePathStyle).toBe(false);
    expect(s3MediaConfig(parseEnv({ S3_BUCKET: "media", S3_FORCE_PATH_STYLE: "1" }))?.forcePathStyle).toBe(true);
  });

  it("takes an access key pair together", () => {
    const config = s3MediaConfig(parseEnv({ S3_BUCKET: "media", S3_ACCESS_KEY_ID: "AKIDEXAMPLE", S3_SECRET_ACCESS_KEY: "wJalr/K7MDENG" }));
    expect(config?.credentials).toEqual({ accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalr/K7MDENG" });
  });

  it("stores the prefix as folders with one trailing slash", () => {
    expect(s3MediaConfig(parseEnv({ S3_BUCKET: "media", S3_PREFIX: "/apps/portrait-live" }))?.prefix).toBe("apps/portrait-live/");
    expect(s3MediaConfig(parseEnv({ S3_BUCKET: "media", S3_PREFIX: "portrait-live/" }))?.prefix).toBe("portrait-live/");
    expect(s3MediaConfig(parseEnv({ S3_BUCKET: "media", S3_PREFIX: "/" }))?.prefix).toBe("");
  });

  it.each([
    [{ S3_BUCKET: "Portrait_Media" }, "S3_BUCKET: must be a bucket name"],
    [{ S3_BUCKET: "ab" }, "S3_BUCKET: must be a bucket name"],
    [{ S3_BUCKET: "media/videos" }, "S3_BUCKET: must be a bucket name"],
    [{ S3_BUCKET: "media", S3_ENDPOINT: "minio:9000" }, "S3_ENDPOINT: must be an absolute http(s) URL"],
    [{ S3_BUCKET: "media", S3_ENDPOINT: "ftp://minio:9000" }, "S3_ENDPOINT: must be an absolute http(s) URL"],
    [{ S3_BUCKET: "media", S3_ENDPOINT: "https://minio:9000/bucket" }, "S3_ENDPOINT: must be an http(s) origin"],
    [{ S3_BUCKET: "media", S3_ENDPOINT: "https://key:secret@minio:9000" }, "S3_ENDPOINT: must be an http(s) origin"],
    [{ S3_BUCKET: "media", S3_REGION: "US East" }, "S3_REGION: must be a region name"],
    [{ S3_BUCKET: "media", S3_FORCE_PATH_STYLE: "yes" }, "S3_FORCE_PATH_STYLE: must be 1, 0, true or false"],
    [{ S3_BUCKET: "media", S3_PREFIX: "a/../b" }, "S3_PREFIX: must be a key prefix"],
    [{ S3_BUCKET: "media", S3_PREFIX: "a b" }, "S3_PREFIX: must be a key prefix"],
    [{ S3_BUCKET: "media", S3_ACCESS_KEY_ID: "AKIDEXAMPLE" }, "S3_SECRET_ACCESS_KEY: must be set together with S3_ACCESS_KEY_ID"],
    [{ S3_BUCKET: "media", S3_SECRET_ACCESS_KEY: "wJalr" }, "S3_ACCESS_KEY_ID: must be set together with S3_SECRET_ACCESS_KEY"],
    [{ S3_ENDPOINT: "http://127.0.0.1:9000", S3_PREFIX: "x" }, "S3_BUCKET: must be set to use S3_ENDPOINT, S3_PREFIX"],
  ])("refuses %j, naming the variable", (source, message) => {
    const error = errorFor(source);
    expect(error).toMatch(/^Invalid environment configuration:\n {2}S3_/);
    expect(error).toContain(message);
  });

  it("never repeats the secret key in an error", () => {
    const secret = "wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY";
    expect(errorFor({ S3_SECRET_ACCESS_KEY: secret, S3_ENDPOINT: "not a url" })).not.toContain(secret);
    expect(errorFor({ S3_BUCKET: "media", S3_SECRET_ACCESS_KEY: secret })).not.toContain(secret);
  });
});
