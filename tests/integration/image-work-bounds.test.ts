import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { IMAGE_RULES } from "@/lib/contracts/image-rules";
import { noisyJpeg } from "../../bench/support/noisy-photo";
import { cpuMs } from "../../bench/support/process-cpu";
import type { FakeUpstream } from "../fake-upstream/fake-upstream";
import { postGeneration, waitForFinal } from "../support/api";
import { setUpLiveApp } from "../support/live-app";
import { toDataUrl } from "../support/portraits";
import { createUpload } from "../support/upload-api";

// The server's image work is bounded: limits decide before any decode, and what it stores is
// what the provider uses (720P), always under the provider's byte cap.
const API_KEY = "vtx-image-bounds-secret-3f1a";
const live = setUpLiveApp({ apiKey: API_KEY, timeline: { pendingMs: 100, processingMs: 200 }, env: { POLL_INTERVAL_MS: "100" } });
let upstream: FakeUpstream;
/** 6000×6000 noise, ~16 MB: accepted as input, over 20 MB when re-encoded at full size. */
let noisy: Buffer;

beforeAll(async () => {
  ({ upstream } = live);
  noisy = await noisyJpeg(6000, 6000);
  expect(noisy.length).toBeLessThan(IMAGE_RULES.maxBytes);
}, 60_000);

/** The answer, the wall time and the server's CPU time (all its threads, libvips' included) spent on it. */
async function measured<T>(pid: number, work: () => Promise<T>): Promise<{ value: T; ms: number; cpuMs: number }> {
  const cpuBefore = cpuMs(pid);
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started, cpuMs: cpuMs(pid) - cpuBefore };
}

describe("image work is bounded", () => {
  it("a rate-limited image create is refused before its image is decoded", async () => {
    const app = await live.startApp({ env: { ...live.env(), CREATE_LIMIT_PER_CLIENT_PER_MINUTE: "1" } });
    const body = JSON.stringify({ image: toDataUrl(noisy), prompt: "she smiles" });
    const admitted = await measured(app.pid, () => postGeneration(app.url, body));
    expect(admitted.value.status).toBe(201);
    const refused = await measured(app.pid, () => postGeneration(app.url, body));
    expect(refused.value.status).toBe(429);
    expect(Number(refused.value.headers.get("retry-after"))).toBeGreaterThan(0);
    // Reading and decoding this image is most of what the admitted create cost the server; the
    // refusal does none of it. (CPU time, not wall time: other work on the machine cannot blur it.)
    expect(refused.cpuMs).toBeLessThan(admitted.cpuMs / 10);
    expect(refused.ms).toBeLessThan(admitted.ms / 3);
    await expect.poll(() => upstream.stats().creates.accepted).toBe(1);
  }, 120_000);

  it("a huge noisy photo is stored at the size the provider uses, under its byte cap, and the generation succeeds", async () => {
    const app = await live.startApp({ env: live.env() });
    const upload = await createUpload(app.url, noisy);
    expect(Math.max(upload.width, upload.height)).toBeLessThanOrEqual(1280);
    expect(upload.width).toBe(upload.height);
    expect(upload.bytes).toBeLessThan(IMAGE_RULES.maxBytes);
    const stored = readFileSync(path.join(app.dataDir, "media", "inputs", `${upload.id}.jpg`));
    expect(stored.length).toBe(upload.bytes);
    const created = await postGeneration(app.url, { uploadId: upload.id, prompt: "she smiles" });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    expect((await waitForFinal(app.url, id)).status).toBe("succeeded");
  }, 120_000);
});
