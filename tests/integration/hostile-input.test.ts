import { readdirSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { apiErrorBodySchema } from "@/lib/contracts/api-error";
import type { FakeUpstream } from "../fake-upstream/fake-upstream";
import { createGeneration, waitForFinal } from "../support/api";
import type { AppServer } from "../support/app-server";
import { animatedWebp } from "../support/image-corpus";
import { setUpLiveApp } from "../support/live-app";
import { makePortrait, toDataUrl } from "../support/portraits";

const API_KEY = "vtx-hostile-secret-1f0b";
const live = setUpLiveApp({ apiKey: API_KEY, app: { env: { APP_PASSWORD: "" } } });
let upstream: FakeUpstream;
let app: AppServer;
let good: string;

beforeAll(async () => {
  ({ upstream, app } = live);
  good = toDataUrl(await makePortrait());
});

const ID = "B".repeat(21);
const storedInputs = () => {
  try {
    return readdirSync(path.join(app.dataDir, "media", "inputs"));
  } catch {
    return [];
  }
};
const SECRET = "C".repeat(32);
const json = (method: string, body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method,
  headers: { "Content-Type": "application/json", ...headers },
  body: typeof body === "string" ? body : JSON.stringify(body),
});

describe("hostile requests across routes get a clear 4xx and change nothing", () => {
  it.each<[string, string, () => RequestInit | Promise<RequestInit>, number]>([
    ["PATCH with a non-boolean", `/api/generations/${ID}`, () => json("PATCH", { hidePrompt: "yes" }), 400],
    ["PATCH with an extra field", `/api/generations/${ID}`, () => json("PATCH", { hidePrompt: true, status: "succeeded" }), 400],
    ["PATCH with broken JSON", `/api/generations/${ID}`, () => json("PATCH", "{"), 400],
    ["PATCH with a traversal id", "/api/generations/..%2F..%2Fdata", () => json("PATCH", { hidePrompt: true }), 400],
    ["new share link for a bad id", "/api/generations/nope/share", () => ({ method: "POST" }), 400],
    ["revoke for a bad id", "/api/generations/nope/share", () => ({ method: "DELETE" }), 400],
    ["re-run with a bad idempotency key", `/api/generations/${ID}/rerun`, () => ({ method: "POST", headers: { "Idempotency-Key": "short" } }), 400],
    ["re-run of an unknown generation", `/api/generations/${ID}/rerun`, () => ({ method: "POST" }), 404],
    ["callback with a malformed secret", "/api/callbacks/vtrix/abc", () => json("POST", { status: "completed" }), 404],
    ["callback with a traversal secret", "/api/callbacks/vtrix/..%2F..%2Fetc", () => json("POST", {}), 404],
    ["callback with an unknown secret", `/api/callbacks/vtrix/${SECRET}`, () => json("POST", { id: "x", status: "completed" }), 404],
    ["callback that is not JSON", `/api/callbacks/vtrix/${SECRET}`, () => json("POST", "<xml/>"), 400],
    ["callback over 64 KB", `/api/callbacks/vtrix/${SECRET}`, () => json("POST", { pad: "x".repeat(70_000) }), 413],
    ["sign-in without a password configured", "/api/session", () => json("POST", { password: "x" }), 404],
    ["sign-in with an empty password", "/api/session", () => json("POST", { password: "" }), 400],
    ["sign-in that is not JSON", "/api/session", () => json("POST", "password=x"), 400],
    ["totals without a range", "/api/generations/totals", () => ({ method: "GET" }), 400],
    ["history with a non-numeric limit", "/api/generations?limit=abc", () => ({ method: "GET" }), 400],
    ["create with a JSON array", "/api/generations", () => json("POST", [good]), 400],
    ["create with JSON null", "/api/generations", () => json("POST", "null"), 400],
    ["create with an empty idempotency key", "/api/generations", () => json("POST", { image: good }, { "Idempotency-Key": "" }), 400],
    ["create with an unpaired surrogate in the prompt", "/api/generations", () => json("POST", `{"image":"${good}","prompt":"smile \\ud800"}`), 400],
    ["create with a text-direction override", "/api/generations", () => json("POST", { image: good, prompt: "smile \u202Eelims" }), 400],
    ["create with an animated WebP", "/api/generations", async () => json("POST", { image: toDataUrl(await animatedWebp(), "image/webp") }), 422],
  ])("%s", async (_name, route, init, status) => {
    const response = await fetch(`${app.url}${route}`, await init());
    expect(response.status).toBe(status);
    const body = apiErrorBodySchema.parse(await response.json());
    expect(body.error.message.length).toBeGreaterThan(8);
    expect(upstream.stats().creates.accepted + upstream.stats().creates.rejected).toBe(0);
    expect(storedInputs()).toEqual([]);
  });

  it.each(["A".repeat(23), "..%2F..%2F.env", "%00"])("share routes treat the token %s as unknown", async (token) => {
    for (const route of [`/s/${token}`, `/api/share/${token}/video`, `/api/share/${token}/input`]) {
      expect((await fetch(`${app.url}${route}`)).status).toBe(404);
    }
  });

  it("is still up", async () => {
    expect((await fetch(`${app.url}/api/health`)).status).toBe(200);
  });
});

describe("what we keep of an upload", () => {
  it("neutralises a JPEG/HTML polyglot and strips GPS before storing or sending", async () => {
    const withGps = await sharp(await makePortrait())
      .withExif({ IFD3: { GPSLatitudeRef: "N", GPSLatitude: "48/1 51/1 0/1", GPSLongitudeRef: "E", GPSLongitude: "2/1 21/1 0/1" } })
      .jpeg()
      .toBuffer();
    const polyglot = Buffer.concat([withGps, Buffer.from("<html><script>alert(document.cookie)</script></html>")]);
    const created = await createGeneration(app.url, { image: toDataUrl(polyglot), prompt: "polyglot" });
    const poster = Buffer.from(await (await fetch(`${app.url}${created.inputUrl}`)).arrayBuffer());
    expect(poster.includes(Buffer.from("<script"))).toBe(false);
    const metadata = await sharp(poster).metadata();
    expect(metadata.exif).toBeUndefined();
    await waitForFinal(app.url, created.id);
    expect(upstream.stats().creates.requests.at(-1)?.image?.format).toBe("jpeg");
  });
});
