import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { GetObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { healthSchema } from "@/lib/contracts/health";
import type { FakeUpstream } from "../fake-upstream/fake-upstream";
import { createGeneration, getGeneration, waitFor, waitForFinal } from "../support/api";
import { expectServerErrors, newDataDir, startApp } from "../support/app-server";
import { setUpLiveApp } from "../support/live-app";
import { makePortrait, toDataUrl } from "../support/portraits";
import { withBucket } from "../support/s3-bucket";
import { startS3Server, type S3Server } from "../support/s3-server";

const API_KEY = "vtx-s3-media-secret-5b7e";
const PREFIX = "portrait-live/";
const live = setUpLiveApp({ apiKey: API_KEY, timeline: { pendingMs: 200, processingMs: 600 } });
let s3: S3Server;
let upstream: FakeUpstream;
let image: string;

function s3Env(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    VTRIX_API_KEY: API_KEY,
    VTRIX_BASE_URL: upstream.url,
    ALLOW_INSECURE_RESULT_URLS: "1",
    POLL_INTERVAL_MS: "150",
    S3_BUCKET: s3.bucket,
    S3_ENDPOINT: s3.endpoint,
    S3_ACCESS_KEY_ID: s3.accessKeyId,
    S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
    S3_PREFIX: PREFIX,
    ...overrides,
  };
}

/** An app for this test only (stopped after it). */
const start = live.startApp;

const bucketKeys = () =>
  withBucket(s3, async (client) => {
    const listing = await client.send(new ListObjectsV2Command({ Bucket: s3.bucket }));
    return (listing.Contents ?? []).map((item) => item.Key ?? "").sort();
  });

const objectBytes = (key: string) =>
  withBucket(s3, async (client) => {
    const object = await client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }));
    return Buffer.from((await object.Body?.transformToByteArray()) ?? []);
  });

/** Every file under a folder (none if it does not exist). */
const filesUnder = (dir: string) => (existsSync(dir) ? readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()) : []);

beforeAll(async () => {
  s3 = await startS3Server();
  ({ upstream } = live);
  image = toDataUrl(await makePortrait());
});

afterAll(async () => {
  await s3?.stop();
});

describe("the app pointed at S3 (S3_BUCKET)", () => {
  it("keeps inputs, results and derived media in the bucket, serves ranges from it, and deletes them with the generation", { timeout: 180_000 }, async () => {
    const app = await start({ dataDir: newDataDir(), env: s3Env() });
    const health = healthSchema.parse(await (await fetch(`${app.url}/api/health`)).json());
    expect(health).toMatchObject({ ok: true, media: { ok: true, kind: "s3" }, store: { ok: true, kind: "sqlite" } });

    const done = await waitForFinal(app.url, (await createGeneration(app.url, { image, prompt: "she smiles" })).id);
    expect(done.status).toBe("succeeded");
    const videoKey = `${PREFIX}videos/${done.id}.mp4`;
    // Derived media (poster frame and its preview, index-first remux, light rendition) are made from the bucket's copy into the bucket.
    const derived = await waitFor(async () => {
      const view = await getGeneration(app.url, done.id);
      return view.webVideoUrl && view.lightVideoUrl && view.videoWidth ? view : undefined;
    }, 90_000);
    const derivedKeys = ["frame.jpg", "light.mp4", "preview.webp", "web.mp4"].map((name) => `${PREFIX}derived/${done.id}/${name}`);
    // The input is stored as an upload, under the upload's id.
    const keys = await bucketKeys();
    const inputKey = keys.find((key) => key.startsWith(`${PREFIX}inputs/`)) ?? "";
    expect(inputKey).toMatch(new RegExp(`^${PREFIX}inputs/[A-Za-z0-9_-]{21}\\.jpg$`));
    expect(keys.filter((key) => key !== inputKey)).toEqual([...derivedKeys, videoKey]);
    const web = await fetch(`${app.url}${derived.webVideoUrl}`);
    expect(Buffer.from(await web.arrayBuffer()).equals(await objectBytes(`${PREFIX}derived/${done.id}/web.mp4`))).toBe(true);
    const frame = await fetch(`${app.url}/api/generations/${done.id}/frame`);
    expect(Buffer.from(await frame.arrayBuffer()).equals(await objectBytes(`${PREFIX}derived/${done.id}/frame.jpg`))).toBe(true);
    const stored = await objectBytes(videoKey);
    expect(stored.subarray(4, 8).toString("latin1")).toBe("ftyp");

    // Ranges come from S3 with the right bytes; players open with "bytes=0-".
    const head = await fetch(`${app.url}${done.videoUrl}`, { headers: { Range: "bytes=0-99" } });
    expect(head.status).toBe(206);
    expect(head.headers.get("content-range")).toBe(`bytes 0-99/${stored.length}`);
    const headBytes = Buffer.from(await head.arrayBuffer());
    expect(headBytes.equals(stored.subarray(0, 100))).toBe(true);
    expect(headBytes.subarray(4, 8).toString("latin1")).toBe("ftyp");
    const middle = await fetch(`${app.url}${done.videoUrl}`, { headers: { Range: `bytes=1000-${stored.length - 1}` } });
    expect(middle.status).toBe(206);
    expect(Buffer.from(await middle.arrayBuffer()).equals(stored.subarray(1000))).toBe(true);
    const whole = await fetch(`${app.url}${done.videoUrl}`);
    expect(whole.status).toBe(200);
    expect(Buffer.from(await whole.arrayBuffer()).equals(stored)).toBe(true);
    const poster = await fetch(`${app.url}${done.inputUrl}`);
    expect(poster.headers.get("content-type")).toBe("image/jpeg");
    expect(Buffer.from(await poster.arrayBuffer()).equals(await objectBytes(inputKey))).toBe(true);

    // Nothing went to the local media folder.
    expect(filesUnder(path.join(app.dataDir, "media"))).toEqual([]);

    expect((await fetch(`${app.url}/api/generations/${done.id}`, { method: "DELETE" })).status).toBe(204);
    expect(await bucketKeys()).toEqual([]);
    expect((await fetch(`${app.url}${done.videoUrl}`)).status).toBe(404);
    expect(s3.pendingUploads()).toEqual([]);
    expect(app.output()).not.toContain(s3.secretAccessKey);
  });

  it("with a wrong secret key: health reports media not ok (503), and the secret shows up nowhere", async () => {
    const wrongSecret = `wrong-${s3.secretAccessKey}`;
    const app = await start({ dataDir: newDataDir(), env: s3Env({ S3_SECRET_ACCESS_KEY: wrongSecret }), ready: "answering" });
    // The bucket refuses every request: health says so, and the create that needs it fails.
    expectServerErrors(
      app,
      /^answered 503 to GET \/api\/health$/,
      /^answered 503 to POST \/api\/generations$/,
      /"message":"The request signature we calculated does not match the signature you provided\.".*"msg":"storage_unavailable: /,
    );
    const response = await fetch(`${app.url}/api/health`);
    expect(response.status).toBe(503);
    const text = await response.text();
    expect(healthSchema.parse(JSON.parse(text))).toMatchObject({ ok: false, store: { ok: true }, media: { ok: false, kind: "s3" } });

    // A create needs the bucket: it says the storage is unavailable, without the store's own error.
    const create = await fetch(`${app.url}/api/generations`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ image, prompt: "she smiles" }),
    });
    expect(create.status).toBe(503);
    const createText = await create.text();
    expect(JSON.parse(createText)).toMatchObject({ error: { code: "storage_unavailable" } });

    expect(app.output()).toContain("media store check failed");
    for (const shown of [text, createText, app.output()]) {
      expect(shown).not.toContain(wrongSecret);
      expect(shown).not.toContain(s3.secretAccessKey);
    }
  });

  it("refuses to start with an invalid S3 setting, naming the variable", async () => {
    await expect(startApp({ dataDir: newDataDir(), env: s3Env({ S3_ENDPOINT: "ftp://127.0.0.1:21" }) })).rejects.toThrow(
      /S3_ENDPOINT: must be an absolute http\(s\) URL/,
    );
    const { S3_SECRET_ACCESS_KEY: _omitted, ...withoutSecret } = s3Env();
    await expect(startApp({ dataDir: newDataDir(), env: withoutSecret })).rejects.toThrow(/S3_SECRET_ACCESS_KEY: must be set together with S3_ACCESS_KEY_ID/);
  });
});
