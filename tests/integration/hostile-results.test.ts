import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeTestPattern } from "../../bench/support/test-pattern-clip";
import { loopListSchema, loopStatusSchema } from "@/lib/contracts/derived-media";
import { healthSchema } from "@/lib/contracts/health";
import { startFakeUpstream, type FakeUpstream } from "../fake-upstream/fake-upstream";
import { createGeneration, waitFor, waitForFinal } from "../support/api";
import { freePort, startApp, type AppServer } from "../support/app-server";
import { makePortrait, toDataUrl } from "../support/portraits";

const API_KEY = "vtx-hostile-results-secret-5d1e";
let upstream: FakeUpstream;
let app: AppServer;
let longClip: string;

beforeAll(async () => {
  // A result far outside the spec: 120 s (tiny, so it costs nothing to store or download).
  longClip = path.join(mkdtempSync(path.join(os.tmpdir(), "hostile-results-")), "long.mp4");
  encodeTestPattern(longClip, { size: "96x160", rate: 5, seconds: 120, preset: "ultrafast", args: ["-pix_fmt", "yuv420p"] });
  upstream = await startFakeUpstream({ apiKey: API_KEY, timeline: { pendingMs: 100, processingMs: 300 }, videoFile: longClip });
  app = await startApp({
    port: await freePort(),
    env: { VTRIX_API_KEY: API_KEY, VTRIX_BASE_URL: upstream.url, ALLOW_INSECURE_RESULT_URLS: "1", POLL_INTERVAL_MS: "100" },
  });
});

afterAll(async () => {
  await app?.stop();
  await upstream?.close();
});

describe("a 120 s result", () => {
  it("a share-link visitor's ping-pong GIF is refused with a clear failure, nothing is derived, and the original stays downloadable", async () => {
    const done = await waitForFinal(
      app.url,
      (await createGeneration(app.url, { image: toDataUrl(await makePortrait({ width: 600, height: 800 })), prompt: "long" })).id,
    );
    expect(done.status).toBe("succeeded");
    const token = done.shareUrl?.split("/s/")[1] ?? "";
    const loops = `${app.url}/api/share/${token}/loops`;
    // No cookie: anyone holding the link.
    const asked = await fetch(loops, { method: "POST", headers: { "Content-Type": "application/json" }, body: '{"format":"gif","pingPong":true}' });
    expect(asked.status).toBeLessThan(300);
    const started = Date.now();
    const loop = await waitFor(async () => {
      const found = loopListSchema.parse(await (await fetch(loops)).json()).loops.find((candidate) => candidate.format === "gif" && candidate.pingPong);
      return found?.state === "failed" || found?.state === "ready" ? found : undefined;
    }, 60_000);
    expect(loopStatusSchema.parse(loop)).toMatchObject({
      state: "failed",
      url: null,
      error: "Nothing is made from this video: it is 120 s long (at most 30 s). The video itself can still be downloaded.",
    });
    expect(Date.now() - started).toBeLessThan(30_000);
    // No rendition or frame was made: the page plays and links the provider's file itself.
    const view = await (await fetch(`${app.url}/api/generations/${done.id}`)).json();
    expect(view).toMatchObject({ webVideoUrl: null, lightVideoUrl: null });
    for (const address of [`/api/generations/${done.id}/video?download=1`, `/api/share/${token}/video`, `/api/share/${token}/video?rendition=light`]) {
      const served = await fetch(`${app.url}${address}`);
      expect(served.status, address).toBe(200);
      expect(Buffer.from(await served.arrayBuffer()).equals(readFileSync(longClip)), address).toBe(true);
    }
  });

  it("health says which ffmpeg runs, and its version", async () => {
    const health = healthSchema.parse(await (await fetch(`${app.url}/api/health`)).json());
    expect(health.ffmpeg.version).toMatch(/\S/);
    expect(["PATH", "bundled"]).toContain(health.ffmpeg.source);
  });
});
