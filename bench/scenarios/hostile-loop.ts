import { spawn } from "node:child_process";
import { tmpdir } from "node:os";
import path from "node:path";
import { loopListSchema } from "@/lib/contracts/derived-media";
import { sampleDescendantRss } from "../process-memory";
import type { Figure } from "../report";
import { createGeneration, waitFor, waitForFinal } from "../support/api";
import { freePort, startApp } from "../support/app-server";
import { startFakeProvider } from "../support/fake-provider";
import { drawPortrait, toDataUrl } from "../support/photos";
import { cachedTestPattern, ffmpegBinary } from "../support/test-pattern-clip";

const MB = 1024 * 1024;
const baselineWhat = (finished: boolean) =>
  finished ? "the same loop unbounded" : `the same loop unbounded, stopped unfinished at ${BASELINE_LIMIT_MS / 1000} s`;

/** A result far outside the spec, small on disk (~1 MB): two minutes of a 360×640 test pattern. */
const hostileClip = () =>
  cachedTestPattern("portrait-live-hostile-120s-v1.mp4", {
    size: "360x640",
    rate: 24,
    seconds: 120,
    preset: "ultrafast",
    args: ["-pix_fmt", "yuv420p", "-crf", "35"],
  });

/** The baseline is stopped here if it has not finished: on a busy machine it runs for many minutes. */
const BASELINE_LIMIT_MS = 180_000;

/**
 * The baseline: what the app ran for this request before its media work was bounded — the
 * whole clip through the ping-pong GIF graph (reverse and palette hold every frame).
 */
async function unboundedLoop(clip: string): Promise<{ peakBytes: number; seconds: number; finished: boolean }> {
  const graph =
    "[0:v]fps=12,scale=360:-2:flags=lanczos,split[f][b];[b]reverse[r];[f][r]concat=n=2:v=1:a=0," +
    "split[p1][p2];[p1]palettegen=stats_mode=diff[pal];[p2][pal]paletteuse=dither=bayer:bayer_scale=4:diff_mode=rectangle[out]";
  const output = path.join(tmpdir(), "portrait-live-hostile-baseline.gif");
  const started = performance.now();
  const args = ["-hide_banner", "-loglevel", "error", "-y", "-i", clip, "-an", "-filter_complex", graph, "-map", "[out]", "-loop", "0", "-f", "gif", output];
  const child = spawn(ffmpegBinary(), args, { stdio: "ignore" });
  const sampler = sampleDescendantRss(child.pid ?? 0, ["ffmpeg"]);
  let finished = true;
  const limit = setTimeout(() => {
    finished = false;
    child.kill("SIGKILL");
  }, BASELINE_LIMIT_MS);
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  clearTimeout(limit);
  const peakBytes = sampler.stop();
  if (finished && code !== 0) throw new Error(`the baseline ffmpeg failed (${code})`);
  return { peakBytes, seconds: (performance.now() - started) / 1000, finished };
}

/** P13: a share-link visitor asks for a ping-pong GIF of a 120 s result; against the same request unbounded. */
export async function measureHostileLoop(): Promise<Figure[]> {
  const clip = hostileClip();
  const upstream = await startFakeProvider({ apiKey: "bench-hostile-loop-key", timeline: { pendingMs: 100, processingMs: 300 }, videoFile: clip });
  const app = await startApp({
    port: await freePort(),
    env: { VTRIX_API_KEY: upstream.apiKey, VTRIX_BASE_URL: upstream.url, ALLOW_INSECURE_RESULT_URLS: "1", POLL_INTERVAL_MS: "200", LOG_LEVEL: "warn" },
  });
  try {
    // Every ffmpeg and ffprobe the app starts for this result, from the moment it is stored.
    const ffmpegs = sampleDescendantRss(app.pid, ["ffmpeg", "ffprobe"]);
    const created = await createGeneration(app.url, { image: toDataUrl(await drawPortrait()), prompt: "p13 hostile loop" });
    const done = await waitForFinal(app.url, created.id, 60_000);
    if (done.status !== "succeeded" || !done.shareUrl) throw new Error(`the generation did not succeed: ${done.status}`);
    const loops = `${app.url}/api/share/${done.shareUrl.split("/s/")[1]}/loops`;
    const started = performance.now();
    await fetch(loops, { method: "POST", headers: { "Content-Type": "application/json" }, body: '{"format":"gif","pingPong":true}' });
    await waitFor(async () => {
      const loop = loopListSchema.parse(await (await fetch(loops)).json()).loops.find((found) => found.format === "gif" && found.pingPong);
      return loop?.state === "failed" || loop?.state === "ready" ? loop : undefined;
    }, 300_000);
    const seconds = (performance.now() - started) / 1000;
    const peakBytes = ffmpegs.stop();
    const baseline = await unboundedLoop(clip);
    return [
      {
        id: "P13",
        what: "peak ffmpeg RSS, share-link ping-pong GIF of a 120 s result",
        value: peakBytes / MB,
        unit: "MB",
        baseline: baseline.peakBytes / MB,
        baselineWhat: baselineWhat(baseline.finished),
        target: "≤ 300 MB",
        met: peakBytes / MB <= 300,
      },
      {
        id: "P13",
        what: "time until that loop is refused or done",
        value: seconds,
        unit: "s",
        baseline: baseline.seconds,
        baselineWhat: baselineWhat(baseline.finished),
        target: "≤ 30 s",
        met: seconds <= 30,
      },
    ];
  } finally {
    await app.stop();
    await upstream.close();
  }
}
