import { readFileSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { apiErrorBodySchema } from "@/lib/contracts/api-error";
import { generationListSchema } from "@/lib/contracts/generation";
import { UPLOAD_CONTENT_TYPES } from "@/lib/contracts/upload";
import type { FakeUpstream } from "../fake-upstream/fake-upstream";
import { createGeneration, waitFor, waitForFinal } from "../support/api";
import type { AppServer } from "../support/app-server";
import { hostileImageCases } from "../support/image-corpus";
import { setUpLiveApp } from "../support/live-app";
import { makePortrait, toDataUrl } from "../support/portraits";
import { createUpload, postUpload, storedInputs, uploadRows, type UploadTransport } from "../support/upload-api";

const API_KEY = "vtx-uploads-secret-5c2d";
const live = setUpLiveApp({ apiKey: API_KEY, timeline: { pendingMs: 100, processingMs: 200 }, env: { POLL_INTERVAL_MS: "100" }, app: {} });
let upstream: FakeUpstream;
let app: AppServer;
let portrait: Buffer;

const liveEnv = () => live.env();

beforeAll(async () => {
  ({ upstream, app } = live);
  portrait = await makePortrait();
});

async function errorOf(response: Response) {
  return { status: response.status, ...apiErrorBodySchema.parse(await response.json()).error };
}

/** What a refused request must leave untouched: media files, upload rows and the provider. */
function snapshot(server: AppServer = app) {
  return { inputs: storedInputs(server.dataDir), uploads: uploadRows(server.dataDir).length, creates: upstream.stats().creates.requests.length };
}

const postJson = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body: JSON.stringify(body) });

describe("POST /api/uploads refuses what create refuses, raw and multipart, and stores nothing", () => {
  const cases = hostileImageCases().flatMap((item) => (["raw", "multipart"] as const).map((as) => [`${as}: ${item.name}`, as, item] as const));

  it.each(cases)("%s", async (_name, as, item) => {
    const before = snapshot();
    const { bytes, mime } = await item.make();
    // A raw body must declare an accepted type; hostile bytes arrive disguised as one.
    const declared = (UPLOAD_CONTENT_TYPES as readonly string[]).includes(mime) ? mime : "image/png";
    const refused = await errorOf(await postUpload(app.url, bytes, { as, mime: declared }));
    expect({ status: refused.status, code: refused.code, field: refused.field }).toEqual({
      status: item.expected.status,
      code: item.expected.code,
      field: "image",
    });
    if (item.expected.message) expect(refused.message).toMatch(item.expected.message);
    expect(snapshot()).toEqual(before);
  });

  const form = (fill: (data: FormData) => void) => {
    const data = new FormData();
    fill(data);
    return data;
  };
  const jpegBlob = () => new Blob([new Uint8Array(portrait)], { type: "image/jpeg" });

  it.each<[string, () => RequestInit, { status: number; code: string; field?: string }]>([
    ["no Content-Type", () => ({ body: new Uint8Array(portrait) }), { status: 415, code: "unsupported_media_type" }],
    [
      "Content-Type image/gif",
      () => ({ headers: { "Content-Type": "image/gif" }, body: new Uint8Array(portrait) }),
      { status: 415, code: "unsupported_media_type" },
    ],
    ["Content-Type text/plain", () => ({ headers: { "Content-Type": "text/plain" }, body: "hello" }), { status: 415, code: "unsupported_media_type" }],
    [
      "a JSON data URL",
      () => ({ headers: { "Content-Type": "application/json" }, body: JSON.stringify({ image: toDataUrl(portrait) }) }),
      { status: 415, code: "unsupported_media_type" },
    ],
    ["an empty raw body", () => ({ headers: { "Content-Type": "image/jpeg" }, body: new Uint8Array(0) }), { status: 400, code: "invalid_body" }],
    [
      "a raw body of 20 MB or more (refused by its length, before it is read)",
      () => ({ headers: { "Content-Type": "image/jpeg" }, body: new Uint8Array(20 * 1024 * 1024 + 1) }),
      { status: 413, code: "image_too_large", field: "image" },
    ],
    ["a form without the image field", () => ({ body: form(() => undefined) }), { status: 400, code: "invalid_body", field: "image" }],
    [
      "a form whose image is text",
      () => ({ body: form((data) => data.append("image", toDataUrl(portrait))) }),
      { status: 400, code: "invalid_body", field: "image" },
    ],
    [
      "a form with two images",
      () => ({ body: form((data) => [1, 2].forEach(() => data.append("image", jpegBlob(), "a.jpg"))) }),
      { status: 400, code: "invalid_body", field: "image" },
    ],
    [
      "a form with another field",
      () => ({ body: form((data) => (data.append("image", jpegBlob(), "a.jpg"), data.append("prompt", "smile"))) }),
      { status: 400, code: "invalid_body", field: "prompt" },
    ],
    [
      "a broken multipart body",
      () => ({ headers: { "Content-Type": "multipart/form-data; boundary=xyz" }, body: "--xyz\r\ngarbage" }),
      { status: 400, code: "invalid_body" },
    ],
    ["multipart without a boundary", () => ({ headers: { "Content-Type": "multipart/form-data" }, body: "garbage" }), { status: 400, code: "invalid_body" }],
    [
      "a cross-site request",
      () => ({ headers: { "Content-Type": "image/jpeg", Origin: "http://evil.example", "Sec-Fetch-Site": "cross-site" }, body: new Uint8Array(portrait) }),
      { status: 403, code: "forbidden" },
    ],
  ])("%s", async (_name, init, expected) => {
    const before = snapshot();
    const refused = await errorOf(await fetch(`${app.url}/api/uploads`, { method: "POST", ...init() }));
    expect({ status: refused.status, code: refused.code }).toEqual({ status: expected.status, code: expected.code });
    if (expected.field) expect(refused.field).toBe(expected.field);
    expect(refused.message.length).toBeGreaterThan(10);
    expect(snapshot()).toEqual(before);
  });

  it("a raw body streamed past 20 MB without a declared length is cut off", async () => {
    const before = snapshot();
    const piece = new Uint8Array(1024 * 1024);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        // Far more than the cap, so a server that kept reading would be caught.
        if (sent++ < 64) controller.enqueue(piece);
        else controller.close();
      },
    });
    const response = await fetch(`${app.url}/api/uploads`, { method: "POST", headers: { "Content-Type": "image/jpeg" }, body, duplex: "half" } as RequestInit);
    const refused = await errorOf(response);
    expect({ status: refused.status, code: refused.code }).toEqual({ status: 413, code: "image_too_large" });
    expect(sent).toBeLessThan(64);
    expect(snapshot()).toEqual(before);
  });

  it("the server is still healthy", async () => {
    expect((await fetch(`${app.url}/api/health`)).status).toBe(200);
  });
});

describe("an upload", () => {
  it.each<UploadTransport>(["raw", "multipart"])("(%s) is stored upright, as a JPEG without metadata, and answered with its size and expiry", async (as) => {
    const sideways = await makePortrait({ width: 960, height: 720, exifOrientation: 6 });
    const withGps = await sharp(await makePortrait())
      .withExif({ IFD3: { GPSLatitudeRef: "N", GPSLatitude: "48/1 51/1 0/1", GPSLongitudeRef: "E", GPSLongitude: "2/1 21/1 0/1" } })
      .jpeg()
      .toBuffer();
    const polyglot = Buffer.concat([withGps, Buffer.from("<html><script>alert(document.cookie)</script></html>")]);

    const upright = await createUpload(app.url, sideways, { as });
    expect({ width: upright.width, height: upright.height }).toEqual({ width: 720, height: 960 });
    const expiresIn = Date.parse(upright.expiresAt) - Date.now();
    expect(expiresIn).toBeGreaterThan(23 * 3_600_000);
    expect(expiresIn).toBeLessThanOrEqual(24 * 3_600_000);

    const clean = await createUpload(app.url, polyglot, { as, mime: "image/webp" });
    for (const upload of [upright, clean]) {
      const stored = readFileSync(path.join(app.dataDir, "media", "inputs", `${upload.id}.jpg`));
      expect(stored.length).toBe(upload.bytes);
      const metadata = await sharp(stored).metadata();
      expect({ format: metadata.format, width: metadata.width, height: metadata.height }).toEqual({
        format: "jpeg",
        width: upload.width,
        height: upload.height,
      });
      expect(metadata.exif).toBeUndefined();
      expect(metadata.orientation).toBeUndefined();
      expect(stored.includes(Buffer.from("<script"))).toBe(false);
      expect(uploadRows(app.dataDir).map((row) => row.id)).toContain(upload.id);
    }
  });

  it("backs a generation sent as a small JSON: the provider gets that image, nothing is copied", async () => {
    const upload = await createUpload(app.url, await makePortrait({ width: 900, height: 1200 }));
    const before = storedInputs(app.dataDir);
    const created = await createGeneration(app.url, { uploadId: upload.id, prompt: "she smiles" });
    expect((await waitForFinal(app.url, created.id)).status).toBe("succeeded");
    expect(upstream.stats().creates.requests.at(-1)?.image).toMatchObject({ format: "jpeg", width: upload.width, height: upload.height, bytes: upload.bytes });
    expect(storedInputs(app.dataDir)).toEqual(before);
  });

  it("an unknown upload id is refused naming uploadId, and nothing is created", async () => {
    const before = { ...snapshot(), generations: await generationCount() };
    const refused = await errorOf(
      await postJson(`${app.url}/api/generations`, { uploadId: "Z".repeat(21), prompt: "x" }, { "Idempotency-Key": "unknown-upload-1" }),
    );
    expect(refused).toMatchObject({ status: 404, code: "not_found", field: "uploadId" });
    expect(refused.message).toMatch(/upload/i);
    expect({ ...snapshot(), generations: await generationCount() }).toEqual(before);
  });

  it("the same Idempotency-Key on creates from one upload starts one generation and one paid task, even sent at once", async () => {
    const upload = await createUpload(app.url, portrait);
    const before = upstream.stats().creates.requests.length;
    const send = () => postJson(`${app.url}/api/generations`, { uploadId: upload.id, prompt: "one click" }, { "Idempotency-Key": `click-${upload.id}` });
    const answers = await Promise.all(Array.from({ length: 5 }, send));
    const bodies = (await Promise.all(answers.map((answer) => answer.json()))) as Array<{ id: string }>;
    expect(new Set(bodies.map((body) => body.id)).size).toBe(1);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 200, 200, 200, 201]);
    const id = bodies[0]?.id ?? "";
    await waitForFinal(app.url, id);
    const replay = await send();
    expect(replay.status).toBe(200);
    expect(((await replay.json()) as { id: string }).id).toBe(id);
    expect(upstream.stats().creates.requests.length - before).toBe(1);
  });

  it("one upload backs several generations (creates and re-runs); deleting one keeps the others' input, the last one takes it", async () => {
    const upload = await createUpload(app.url, await makePortrait({ width: 800, height: 1000 }));
    const file = `${upload.id}.jpg`;
    const inputsBefore = storedInputs(app.dataDir);
    const first = await createGeneration(app.url, { uploadId: upload.id, prompt: "take one" });
    const second = await createGeneration(app.url, { uploadId: upload.id, prompt: "take two" });
    const rerun = await fetch(`${app.url}/api/generations/${first.id}/rerun`, { method: "POST" });
    expect(rerun.status).toBe(201);
    const third = (await rerun.json()) as { id: string };
    for (const { id } of [first, second, third]) expect((await waitForFinal(app.url, id)).status).toBe("succeeded");
    // No copies: the same single file backs all three.
    expect(storedInputs(app.dataDir)).toEqual(inputsBefore);
    const sent = upstream
      .stats()
      .creates.requests.slice(-3)
      .map((request) => request.image);
    expect(sent.every((image) => image?.bytes === upload.bytes)).toBe(true);

    expect((await fetch(`${app.url}/api/generations/${first.id}`, { method: "DELETE" })).status).toBe(204);
    expect(storedInputs(app.dataDir)).toContain(file);
    const poster = await fetch(`${app.url}/api/generations/${second.id}/input`);
    expect(poster.status).toBe(200);
    expect(Buffer.from(await poster.arrayBuffer())).toEqual(readFileSync(path.join(app.dataDir, "media", "inputs", file)));
    // Still in use, so still usable for another take.
    const fourth = await createGeneration(app.url, { uploadId: upload.id, prompt: "take four" });
    await waitForFinal(app.url, fourth.id);

    for (const { id } of [second, third]) await fetch(`${app.url}/api/generations/${id}`, { method: "DELETE" });
    expect(storedInputs(app.dataDir)).toContain(file);
    await fetch(`${app.url}/api/generations/${fourth.id}`, { method: "DELETE" });
    expect(storedInputs(app.dataDir)).not.toContain(file);
    expect(uploadRows(app.dataDir).map((row) => row.id)).not.toContain(upload.id);
    expect(await errorOf(await postJson(`${app.url}/api/generations`, { uploadId: upload.id }))).toMatchObject({ status: 404, field: "uploadId" });
  });

  it("a data-URL image (for scripts) still works, stored as an upload that goes with its generation", async () => {
    const before = { inputs: storedInputs(app.dataDir), uploads: uploadRows(app.dataDir).map((row) => row.id) };
    const created = await createGeneration(app.url, { image: toDataUrl(await makePortrait({ width: 640, height: 800 })), prompt: "script" });
    expect((await waitForFinal(app.url, created.id)).status).toBe("succeeded");
    const newUploads = uploadRows(app.dataDir).filter((row) => !before.uploads.includes(row.id));
    expect(newUploads).toHaveLength(1);
    const [stored] = newUploads;
    expect(storedInputs(app.dataDir)).toEqual([...before.inputs, `${stored?.id}.jpg`].sort());
    expect(upstream.stats().creates.requests.at(-1)?.image).toMatchObject({ width: 640, height: 800 });
    expect((await fetch(`${app.url}/api/generations/${created.id}`, { method: "DELETE" })).status).toBe(204);
    expect({ inputs: storedInputs(app.dataDir), uploads: uploadRows(app.dataDir).map((row) => row.id) }).toEqual(before);
  });
});

describe("data-URL creates racing with one Idempotency-Key", () => {
  it("make one generation and leave one stored input, the losers' uploads let go", async () => {
    const before = { inputs: storedInputs(app.dataDir).length, uploads: uploadRows(app.dataDir).length, creates: upstream.stats().creates.requests.length };
    const image = toDataUrl(await makePortrait({ width: 700, height: 900 }));
    const answers = await Promise.all(
      Array.from({ length: 4 }, () => postJson(`${app.url}/api/generations`, { image, prompt: "race" }, { "Idempotency-Key": "data-url-race-1" })),
    );
    const ids = new Set(await Promise.all(answers.map(async (answer) => ((await answer.json()) as { id: string }).id)));
    expect(ids.size).toBe(1);
    await waitForFinal(app.url, [...ids][0] ?? "");
    expect(storedInputs(app.dataDir)).toHaveLength(before.inputs + 1);
    expect(uploadRows(app.dataDir)).toHaveLength(before.uploads + 1);
    expect(upstream.stats().creates.requests.length - before.creates).toBe(1);
  });
});

async function generationCount(server: AppServer = app): Promise<number> {
  const list = generationListSchema.parse(await (await fetch(`${server.url}/api/generations?limit=100`)).json());
  return list.items.length;
}

describe("uploads no generation uses", () => {
  it("are swept once their time is up (UPLOAD_TTL_HOURS), while uploads in use stay and remain usable", async () => {
    // 0.001 h = 3.6 s; the sweep then runs every second.
    const swept = await live.startApp({ env: { ...liveEnv(), UPLOAD_TTL_HOURS: "0.001" } });
    const unused = await createUpload(swept.url, portrait);
    const used = await createUpload(swept.url, await makePortrait({ width: 600, height: 900 }));
    expect(Date.parse(unused.expiresAt) - Date.now()).toBeLessThanOrEqual(3_600);
    const generation = await createGeneration(swept.url, { uploadId: used.id });
    expect(storedInputs(swept.dataDir)).toEqual([`${unused.id}.jpg`, `${used.id}.jpg`].sort());

    await waitFor(async () => !storedInputs(swept.dataDir).includes(`${unused.id}.jpg`), 30_000);
    expect(uploadRows(swept.dataDir).map((row) => row.id)).toEqual([used.id]);
    // The sweep logs once its files and rows are gone.
    await waitFor(async () => swept.output().includes("deleted uploads no generation used"), 5_000);
    expect(await errorOf(await postJson(`${swept.url}/api/generations`, { uploadId: unused.id }))).toMatchObject({ status: 404, field: "uploadId" });

    // Past its time but in use: kept, and another take may still be made from it.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(used.expiresAt) + 2_000 - Date.now())));
    expect(storedInputs(swept.dataDir)).toEqual([`${used.id}.jpg`]);
    const take = await createGeneration(swept.url, { uploadId: used.id, prompt: "again" });
    for (const { id } of [generation, take]) {
      await waitForFinal(swept.url, id);
      await fetch(`${swept.url}/api/generations/${id}`, { method: "DELETE" });
    }
    expect(storedInputs(swept.dataDir)).toEqual([]);
    expect(uploadRows(swept.dataDir)).toEqual([]);
  });
});

describe("inputs of failed generations", () => {
  it("count as unused, are swept a full time after the failure, and their generations stay and say why; one also used by a success stays", async () => {
    // 0.002 h = 7.2 s; the sweep then runs every 1.8 s.
    const server = await live.startApp({ env: { ...liveEnv(), UPLOAD_TTL_HOURS: "0.002", UPLOAD_UNUSED_MAX_MB: "1" } });
    const noise = await noiseJpeg();
    const failedOnly = await createUploadAs(server, noise);
    const alsoSucceeded = await createUploadAs(server, portrait);
    upstream.setFaults({ failNextTasks: { code: 1, times: 2, errorShape: "string" } });
    const [failed, failedToo] = [
      await createGeneration(server.url, { uploadId: failedOnly.id }),
      await createGeneration(server.url, { uploadId: alsoSucceeded.id }),
    ];
    for (const { id } of [failed, failedToo]) expect((await waitForFinal(server.url, id)).status).toBe("failed");

    // Both inputs now count against the room for unused uploads (1 MB): fewer uploads fit than with none counted.
    let fitted = 0;
    while ((await postUpload(server.url, noise)).status === 201) fitted++;
    expect(fitted).toBe(Math.floor((1024 * 1024 - failedOnly.bytes - alsoSucceeded.bytes) / failedOnly.bytes));

    // Retry works meanwhile, from the same upload: a success keeps that input for good.
    const retried = await postJson(`${server.url}/api/generations/${failedToo.id}/rerun`, {});
    expect(retried.status).toBe(201);
    expect((await waitForFinal(server.url, ((await retried.json()) as { id: string }).id)).status).toBe("succeeded");

    await waitFor(async () => !storedInputs(server.dataDir).includes(`${failedOnly.id}.jpg`), 30_000);
    const rows = uploadRows(server.dataDir).map((row) => row.id);
    expect(rows).toContain(alsoSucceeded.id);
    expect(rows).not.toContain(failedOnly.id);
    // The failed generation stays, and its input and Retry say what happened.
    const listed = generationListSchema.parse(await (await fetch(`${server.url}/api/generations?limit=100`)).json());
    expect(listed.items.find((item) => item.id === failed.id)).toMatchObject({ status: "failed", inputUrl: null });
    expect((await fetch(`${server.url}/api/generations/${failed.id}`)).status).toBe(200);
    const removed = {
      status: 410,
      code: "upload_expired",
      message: "This portrait was removed 7 seconds after the generation failed; start again with the photo.",
    };
    expect(await errorOf(await fetch(`${server.url}/api/generations/${failed.id}/input`))).toMatchObject(removed);
    expect(await errorOf(await postJson(`${server.url}/api/generations/${failed.id}/rerun`, {}))).toMatchObject(removed);

    // Well past its time and a failure's, the input a success also uses is still served.
    await new Promise((resolve) => setTimeout(resolve, 2 * 7_200));
    expect(storedInputs(server.dataDir)).toContain(`${alsoSucceeded.id}.jpg`);
    expect((await fetch(`${server.url}/api/generations/${failedToo.id}/input`)).status).toBe(200);
  });
});

describe("upload limits", () => {
  it("uploads have a rate of their own and do not take a generation's place", async () => {
    // The test stands in for a trusted proxy on loopback, so X-Forwarded-For names the client.
    const limited = await live.startApp({
      env: { ...liveEnv(), UPLOAD_LIMIT_PER_CLIENT_PER_MINUTE: "3", CREATE_LIMIT_PER_CLIENT_PER_MINUTE: "1", TRUSTED_PROXIES: "loopback" },
    });
    const client = { "X-Forwarded-For": "203.0.113.7" };
    const uploads = [];
    for (let i = 0; i < 3; i++) uploads.push(await createUploadAs(limited, portrait, client));
    const before = snapshot(limited);
    const refused = await errorOf(await postUpload(limited.url, portrait, { headers: client }));
    expect(refused).toMatchObject({ status: 429, code: "rate_limited" });
    expect(refused.message).toMatch(/upload 3 images a minute/);
    expect(snapshot(limited)).toEqual(before);
    // Three uploads later, the client's one create a minute is still there.
    const created = await postJson(`${limited.url}/api/generations`, { uploadId: uploads[0]?.id }, client);
    expect(created.status).toBe(201);
    // Another client is not held back by this one's uploads.
    expect((await postUpload(limited.url, portrait, { headers: { "X-Forwarded-For": "203.0.113.8" } })).status).toBe(201);
  });

  it("the bytes held by unused uploads are capped (UPLOAD_UNUSED_MAX_MB); using one makes room", async () => {
    const capped = await live.startApp({ env: { ...liveEnv(), UPLOAD_UNUSED_MAX_MB: "1" } });
    const noise = await noiseJpeg();
    const first = await createUploadAs(capped, noise);
    const fit = Math.floor((1024 * 1024) / first.bytes);
    expect(fit).toBeGreaterThanOrEqual(1);
    const accepted = [first];
    for (let i = 1; i < fit; i++) accepted.push(await createUploadAs(capped, noise));
    const before = snapshot(capped);
    const refused = await errorOf(await postUpload(capped.url, noise));
    expect(refused).toMatchObject({ status: 429, code: "rate_limited" });
    expect(refused.message).toMatch(/waiting to be used/);
    expect(snapshot(capped)).toEqual(before);
    // An upload in use no longer counts against the room for unused ones.
    expect((await postJson(`${capped.url}/api/generations`, { uploadId: first.id })).status).toBe(201);
    expect((await postUpload(capped.url, noise)).status).toBe(201);
  });
});

/** Noise does not compress: each upload of it holds a few hundred KB. */
const noiseJpeg = () =>
  sharp(Buffer.from(Array.from({ length: 480 * 640 * 3 }, () => Math.floor(Math.random() * 256))), {
    raw: { width: 480, height: 640, channels: 3 },
  })
    .jpeg({ quality: 95 })
    .toBuffer();

async function createUploadAs(server: AppServer, bytes: Buffer, headers: Record<string, string> = {}) {
  const response = await postUpload(server.url, bytes, { headers });
  const body = (await response.json()) as { id: string; bytes: number };
  if (response.status !== 201) throw new Error(`upload answered ${response.status}: ${JSON.stringify(body)}`);
  return body;
}
