import "server-only";
import { spawn } from "node:child_process";
import { stat } from "node:fs/promises";
import { createRequire } from "node:module";
import type { DerivativeRunner, LoopOptions, VideoFacts } from "./derivative-runner";
import { even, INLINE_POSTER_MAX_BYTES, lightSize } from "./derivative-sizes";

const require = createRequire(import.meta.url);

/** The ffmpeg binary shipped inside @ffmpeg-installer (nothing is downloaded at run time). */
export function ffmpegPath(): string {
  return (require("@ffmpeg-installer/ffmpeg") as { path: string }).path;
}

/** Chat apps refuse or re-encode larger GIFs. */
export const GIF_MAX_BYTES = 8 * 1024 * 1024;
export const LOOP_MAX_WIDTH = 480;

/** ffmpeg run for each derivative; every output is written by ffmpeg to a path the caller owns. */
export function createFfmpegRunner(options: { binary?: string } = {}): DerivativeRunner {
  const binary = options.binary ?? ffmpegPath();
  const run = (args: string[], onTime?: (seconds: number) => void) => runFfmpeg(binary, args, onTime);

  return {
    async probe(input) {
      // ffprobe is not shipped; `ffmpeg -i` prints the streams on stderr and exits 1 for want of an output.
      const { stderr } = await runFfmpeg(binary, ["-hide_banner", "-i", input], undefined, true);
      return parseFacts(stderr);
    },

    async remux(input, output) {
      // Stream copy: the same packets, only the index (moov) moves to the front.
      await run(["-i", input, "-map", "0", "-c", "copy", "-movflags", "+faststart", "-f", "mp4", output]);
    },

    async poster(input, output) {
      // The very first frame: what the player shows before it starts, so nothing jumps. Quality 6
      // of mjpeg's 2–31: a grainy 720×1280 frame is ~100 KB (235 KB at 3), half a second less on a
      // phone's link for a picture shown only until playback starts (P11).
      await run(["-i", input, "-frames:v", "1", "-q:v", "6", "-f", "image2", output]);
    },

    async preview(input, output, facts) {
      // Pages carry this inside their HTML, so it shows with the page's first paint. The light
      // rendition's size: what a phone plays next, so the picture does not change when it starts.
      const full = lightSize(facts);
      for (const [index, step] of PREVIEW_STEPS.entries()) {
        const scale = `scale=${even(full.width * step.scale)}:${even(full.height * step.scale)}:flags=lanczos`;
        await run(["-i", input, "-frames:v", "1", "-vf", scale, "-c:v", "libwebp", "-q:v", String(step.quality), "-f", "webp", output]);
        if ((await stat(output)).size <= INLINE_POSTER_MAX_BYTES || index === PREVIEW_STEPS.length - 1) return;
      }
    },

    async light(input, output, facts, onProgress) {
      const size = lightSize(facts);
      await run(
        [
          "-i",
          input,
          "-map",
          "0:v:0",
          "-map",
          "0:a?",
          "-vf",
          `scale=${size.width}:${size.height}:flags=bicubic,format=yuv420p`,
          "-c:v",
          "libx264",
          "-preset",
          "veryfast",
          "-crf",
          "28",
          "-maxrate",
          "1200k",
          "-bufsize",
          "2400k",
          "-c:a",
          "aac",
          "-b:a",
          "64k",
          "-movflags",
          "+faststart",
          "-f",
          "mp4",
          output,
        ],
        (seconds) => onProgress?.(seconds / facts.durationSeconds),
      );
    },

    async loop(input, output, facts, loop, onProgress) {
      // Ping-pong plays the clip forward then backward, so the loop has no cut.
      const length = facts.durationSeconds * (loop.pingPong ? 2 : 1);
      let attempt = 0;
      for (const step of loopSteps(facts.width)) {
        attempt++;
        const graph = loopFilter(step, loop);
        const codec = loop.format === "gif" ? ["-f", "gif"] : ["-c:v", "libwebp_anim", "-lossless", "0", "-q:v", "60", "-compression_level", "4", "-f", "webp"];
        await run(["-i", input, "-an", "-filter_complex", graph, "-map", "[out]", "-loop", "0", ...codec, output], (seconds) =>
          onProgress?.(Math.min(0.99, seconds / length)),
        );
        const bytes = (await stat(output)).size;
        if (bytes <= GIF_MAX_BYTES || attempt >= LOOP_STEPS.length) return;
      }
    },
  };
}

/** Plainer, then smaller, until the preview fits in a page (a real photo fits at the first; film grain may not). */
const PREVIEW_STEPS = [
  { scale: 1, quality: 60 },
  { scale: 1, quality: 40 },
  { scale: 0.8, quality: 35 },
  { scale: 0.6, quality: 30 },
];

/** Smaller and slower each time, until the file fits (the first nearly always does). */
const LOOP_STEPS = [
  { width: LOOP_MAX_WIDTH, fps: 12 },
  { width: 400, fps: 10 },
  { width: 320, fps: 8 },
  { width: 240, fps: 8 },
];
const loopSteps = (videoWidth: number) => LOOP_STEPS.map((step) => ({ ...step, width: Math.min(step.width, even(videoWidth)) }));

function loopFilter(step: { width: number; fps: number }, loop: LoopOptions): string {
  const head = `[0:v]fps=${step.fps},scale=${step.width}:-2:flags=lanczos`;
  const body = loop.pingPong ? `${head},split[f][b];[b]reverse[r];[f][r]concat=n=2:v=1:a=0` : head;
  // GIF: one palette made for this clip, then dithered onto it (far better than the 256 web colours).
  return loop.format === "gif"
    ? `${body},split[p1][p2];[p1]palettegen=stats_mode=diff[pal];[p2][pal]paletteuse=dither=bayer:bayer_scale=4:diff_mode=rectangle[out]`
    : `${body}[out]`;
}

/** Reads the first video stream's size and the duration from `ffmpeg -i` output. */
export function parseFacts(stderr: string): VideoFacts {
  const video = /Stream #\d+:\d+.*?: Video: [^\n]*?, (\d{2,5})x(\d{2,5})[\s,[]/.exec(stderr);
  if (!video) throw new Error("ffmpeg found no video stream in the file");
  const duration = /Duration: (\d+):(\d+):(\d+(?:\.\d+)?)/.exec(stderr);
  const durationSeconds = duration ? Number(duration[1]) * 3600 + Number(duration[2]) * 60 + Number(duration[3]) : 6;
  // A rotated stream (phone-style metadata) is shown turned: swap to the displayed size.
  const rotate = /rotate\s*:\s*(-?\d+)/.exec(stderr);
  const turned = rotate ? Math.abs(Number(rotate[1])) % 180 === 90 : false;
  const width = Number(video[1]);
  const height = Number(video[2]);
  return { width: turned ? height : width, height: turned ? width : height, durationSeconds: durationSeconds || 6 };
}

function runFfmpeg(binary: string, args: string[], onTime?: (seconds: number) => void, probe = false): Promise<{ stderr: string }> {
  const full = probe ? args : ["-hide_banner", "-nostdin", "-loglevel", "error", "-y", ...(onTime ? ["-progress", "pipe:1", "-nostats"] : []), ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(binary, full, { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-20_000);
    });
    child.stdout.on("data", (chunk: Buffer) => {
      if (!onTime) return;
      for (const match of chunk.toString().matchAll(/out_time_ms=(\d+)/g)) onTime(Number(match[1]) / 1_000_000);
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0 || probe) resolve({ stderr });
      else reject(new Error(`ffmpeg exited with ${code}: ${stderr.trim().slice(-500)}`));
    });
  });
}
