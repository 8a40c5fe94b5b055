import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { imageSize } from "image-size";
import { afterAll, describe, expect, it } from "vitest";
import { cachedTestPattern } from "../../bench/support/test-pattern-clip";
import { aMinuteFromNow, testRunner } from "../support/ffmpeg-runner";
import { INLINE_POSTER_MAX_BYTES } from "@/lib/media/derivatives/derivative-sizes";

const scratch = mkdtempSync(path.join(os.tmpdir(), "portrait-live-preview-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("the preview frame made with the shipped ffmpeg", () => {
  it("fits the inline budget at the light rendition's size for a plain clip", { timeout: 60_000 }, async () => {
    const clip = cachedTestPattern("portrait-live-preview-plain-720x1280-v1.mp4", { size: "720x1280", rate: 25, seconds: 1, args: ["-pix_fmt", "yuv420p"] });
    const runner = testRunner();
    const output = path.join(scratch, "plain.webp");
    await runner.preview(clip, output, await runner.probe(clip, aMinuteFromNow()), aMinuteFromNow());
    expect(imageSize(new Uint8Array(readFileSync(output)))).toMatchObject({ type: "webp", width: 540, height: 960 });
    expect(statSync(output).size).toBeLessThanOrEqual(INLINE_POSTER_MAX_BYTES);
  });

  it("steps down until even heavy film grain fits, keeping the video's shape", { timeout: 60_000 }, async () => {
    const grain = cachedTestPattern("portrait-live-preview-grain-720x1280-v1.mp4", {
      size: "720x1280",
      rate: 25,
      seconds: 1,
      args: ["-vf", "noise=alls=40:allf=t+u,format=yuv420p", "-b:v", "8000k"],
    });
    const runner = testRunner();
    const output = path.join(scratch, "grain.webp");
    await runner.preview(grain, output, await runner.probe(grain, aMinuteFromNow()), aMinuteFromNow());
    const size = imageSize(new Uint8Array(readFileSync(output)));
    expect(statSync(output).size).toBeLessThanOrEqual(INLINE_POSTER_MAX_BYTES);
    expect(size.width).toBeLessThanOrEqual(540);
    expect((size.height ?? 0) / (size.width ?? 1)).toBeCloseTo(1280 / 720, 1);
  });
});
