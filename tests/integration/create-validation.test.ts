import { readdirSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { apiErrorBodySchema } from "@/lib/contracts/api-error";
import type { FakeUpstream } from "../fake-upstream/fake-upstream";
import { postGeneration } from "../support/api";
import type { AppServer } from "../support/app-server";
import { hostileImageCases } from "../support/image-corpus";
import { setUpLiveApp } from "../support/live-app";
import { makePortrait, toDataUrl } from "../support/portraits";

const API_KEY = "vtx-validation-secret-3b7f";
const live = setUpLiveApp({ apiKey: API_KEY, app: {} });
let upstream: FakeUpstream;
let app: AppServer;
let good: Buffer;

beforeAll(async () => {
  ({ upstream, app } = live);
  good = await makePortrait();
});

async function expectRefused(response: Response, expected: { status: number; code: string; field?: string; message?: RegExp }) {
  const body = apiErrorBodySchema.parse(await response.json());
  expect({ status: response.status, code: body.error.code }).toEqual({ status: expected.status, code: expected.code });
  if (expected.field) expect(body.error.field).toBe(expected.field);
  if (expected.message) expect(body.error.message).toMatch(expected.message);
  expect(body.error.message.length).toBeGreaterThan(10);
}

function storedNothing() {
  const list = (dir: string) => {
    try {
      return readdirSync(path.join(app.dataDir, "media", dir));
    } catch {
      return [];
    }
  };
  expect([...list("inputs"), ...list("videos")]).toEqual([]);
  expect(upstream.stats().creates.accepted + upstream.stats().creates.rejected).toBe(0);
}

describe("POST /api/generations refuses bad input with a specific error and changes nothing", () => {
  it.each<[string, () => Promise<Response>, { status: number; code: string; field?: string; message?: RegExp }]>([
    ["not JSON", () => postGeneration(app.url, "{nope"), { status: 400, code: "invalid_body", message: /not valid JSON/ }],
    ["no content type", () => fetch(`${app.url}/api/generations`, { method: "POST", body: "{}" }), { status: 415, code: "unsupported_media_type" }],
    ["neither uploadId nor image", () => postGeneration(app.url, { prompt: "hi" }), { status: 400, code: "invalid_body", field: "uploadId" }],
    [
      "both uploadId and image",
      () => postGeneration(app.url, { uploadId: "A".repeat(21), image: toDataUrl(good) }),
      { status: 400, code: "invalid_body", field: "image" },
    ],
    ["malformed uploadId", () => postGeneration(app.url, { uploadId: "../../etc/passwd" }), { status: 400, code: "invalid_body", field: "uploadId" }],
    ["image not a data URL", () => postGeneration(app.url, { image: "https://example.com/a.jpg" }), { status: 400, code: "invalid_body", field: "image" }],
    ["unknown field", () => postGeneration(app.url, { image: toDataUrl(good), model: "other" }), { status: 400, code: "invalid_body" }],
    ["prompt wrong type", () => postGeneration(app.url, { image: toDataUrl(good), prompt: 42 }), { status: 400, code: "invalid_body", field: "prompt" }],
    [
      "switch wrong type",
      () => postGeneration(app.url, { image: toDataUrl(good), watermark: "yes" }),
      { status: 400, code: "invalid_body", field: "watermark" },
    ],
    [
      "prompt of 2001 characters",
      () => postGeneration(app.url, { image: toDataUrl(good), prompt: "a".repeat(2001) }),
      { status: 400, code: "invalid_body", field: "prompt", message: /2000/ },
    ],
    [
      "prompt of 2001 emoji",
      () => postGeneration(app.url, { image: toDataUrl(good), prompt: "😀".repeat(2001) }),
      { status: 400, code: "invalid_body", field: "prompt" },
    ],
    [
      "control characters in the prompt",
      () => postGeneration(app.url, { image: toDataUrl(good), prompt: "smile\u0000" }),
      { status: 400, code: "invalid_body", field: "prompt" },
    ],
    ["broken base64", () => postGeneration(app.url, { image: "data:image/jpeg;base64,@@@@" }), { status: 422, code: "invalid_image", field: "image" }],
    [
      "bad idempotency key",
      () => postGeneration(app.url, { image: toDataUrl(good) }, { "Idempotency-Key": "../../etc" }),
      { status: 400, code: "invalid_param" },
    ],
  ])("%s", async (_name, send, expected) => {
    await expectRefused(await send(), expected);
    storedNothing();
  });

  // The image corpus every route that takes a portrait refuses alike (POST /api/uploads too).
  it.each(hostileImageCases().map((item) => [item.name, item] as const))("image: %s", async (_name, item) => {
    const { bytes, mime } = await item.make();
    await expectRefused(await postGeneration(app.url, { image: toDataUrl(bytes, mime) }), { ...item.expected, field: "image" });
    storedNothing();
  });

  it("a body over the limit is cut off while it streams in", async () => {
    const response = await postGeneration(app.url, `{"image":"${"A".repeat(30 * 1024 * 1024)}"}`);
    await expectRefused(response, { status: 413, code: "body_too_large" });
    storedNothing();
  });

  it.each(["not-an-id", "..%2F..%2Fetc%2Fpasswd", "a".repeat(22)])("GET with a bad id %s answers 400", async (id) => {
    const response = await fetch(`${app.url}/api/generations/${id}`);
    await expectRefused(response, { status: 400, code: "invalid_param" });
  });

  it("an unknown id answers 404 on every route", async () => {
    const id = "A".repeat(21);
    for (const suffix of ["", "/video", "/input"]) {
      const response = await fetch(`${app.url}/api/generations/${id}${suffix}`);
      await expectRefused(response, { status: 404, code: "not_found" });
    }
    await expectRefused(await fetch(`${app.url}/api/generations/${id}`, { method: "DELETE" }), { status: 404, code: "not_found" });
  });

  it("a bad history query is refused", async () => {
    await expectRefused(await fetch(`${app.url}/api/generations?limit=1000`), { status: 400, code: "invalid_param", field: "limit" });
    await expectRefused(await fetch(`${app.url}/api/generations?status=done`), { status: 400, code: "invalid_param", field: "status" });
    await expectRefused(await fetch(`${app.url}/api/generations?cursor=bm9wZQ`), { status: 400, code: "invalid_param", field: "cursor" });
  });

  it("the server is still healthy after all of that", async () => {
    expect((await fetch(`${app.url}/api/health`)).status).toBe(200);
  });
});
