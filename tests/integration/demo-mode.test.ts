import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { healthSchema } from "@/lib/contracts/health";
import { createGeneration, getGeneration, waitFor, waitForFinal } from "../support/api";
import { startApp, type AppServer } from "../support/app-server";
import { makePortrait, toDataUrl } from "../support/portraits";

let app: AppServer;

beforeAll(async () => {
  app = await startApp({ env: { DEMO_DURATION_MS: "2500" } });
});

afterAll(async () => app?.stop());

describe("demo mode (no API key)", () => {
  it("says so in health", async () => {
    const health = healthSchema.parse(await (await fetch(`${app.url}/api/health`)).json());
    expect(health).toMatchObject({ ok: true, mode: "demo", upstream: { configured: false } });
    // Which ffmpeg renders, and its version: a system one when there is one, the bundled 2018 build otherwise.
    expect(health.ffmpeg.version).toMatch(/\S/);
  });

  it("walks the same lifecycle and produces a real 6-second H.264 MP4 from the portrait", async () => {
    const created = await createGeneration(app.url, { image: toDataUrl(await makePortrait({ width: 600, height: 800 })), prompt: "demo" });
    expect(created.mode).toBe("demo");
    const seen = new Set<string>([created.status]);
    await waitFor(async () => {
      const view = await getGeneration(app.url, created.id);
      seen.add(view.status);
      return view.status === "processing" && view.progress !== null && view.progress > 0;
    });
    const done = await waitForFinal(app.url, created.id);
    expect(done.status).toBe("succeeded");
    expect([...seen]).toEqual(expect.arrayContaining(["queued", "processing"]));

    const video = Buffer.from(await (await fetch(`${app.url}${done.videoUrl}`)).arrayBuffer());
    expect(video.subarray(4, 8).toString("latin1")).toBe("ftyp");
    expect(video.includes(Buffer.from("avc1"))).toBe(true);
    // mvhd: timescale and duration give the length in seconds.
    const mvhd = video.indexOf(Buffer.from("mvhd"));
    const timescale = video.readUInt32BE(mvhd + 16);
    const duration = video.readUInt32BE(mvhd + 20);
    expect(duration / timescale).toBeCloseTo(6, 1);
    // The demo frame keeps the portrait's aspect at 720P: 720×960.
    const tkhd = video.indexOf(Buffer.from("tkhd"));
    expect([video.readUInt16BE(tkhd + 80), video.readUInt16BE(tkhd + 84)]).toEqual([720, 960]);
  });

  it("makes a video from a flat, single-colour photo too (its re-encoded JPEG once stalled the demo render)", async () => {
    const flat = await sharp({ create: { width: 600, height: 800, channels: 3, background: "#aa8866" } })
      .jpeg()
      .toBuffer();
    const created = await createGeneration(app.url, { image: toDataUrl(flat), prompt: "flat" });
    const done = await waitForFinal(app.url, created.id, 30_000);
    expect(done.status).toBe("succeeded");
  });
});
