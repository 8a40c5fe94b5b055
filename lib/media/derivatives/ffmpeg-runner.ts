import "server-only";
import { stat } from "node:fs/promises";
import type { DerivativeRunner, LoopOptions } from "./derivative-runner";
import { even, INLINE_POSTER_MAX_BYTES, lightSize } from "./derivative-sizes";
import type { FfmpegBinaries } from "@/lib/ffmpeg/ffmpeg-binaries";
import { probeWithFfmpeg, probeWithFfprobe } from "./probe-video";
import { LOOP_MAX_SECONDS, MAX_FRAME_PIXELS, RESULT_BOUNDS } from "./result-bounds";
import { runBounded } from "@/lib/ffmpeg/run-bounded";

/** Chat apps refuse or re-encode larger GIFs. */
export const GIF_MAX_BYTES = 8 * 1024 * 1024;
export const LOOP_MAX_WIDTH = 480;
/** Encoder threads: each reserves address space, so the memory ceiling holds on a many-core machine too. */
const THREADS = "4";

export interface FfmpegRunnerOptions {
  binaries: Pick<FfmpegBinaries, "ffmpeg" | "ffprobe">;
  /** Address-space ceiling of each run (FFMPEG_MEMORY_MB). */
  memoryMb: number;
}

/**
 * ffmpeg run for each derivative; every output is written by ffmpeg to a path the caller owns.
 * Every run is bounded: it reads at most the first RESULT_BOUNDS.maxSeconds (loops: LOOP_MAX_SECONDS),
 * decodes frames of at most MAX_FRAME_PIXELS, lives under the memory ceiling and ends by the job's deadline.
 */
export function createFfmpegRunner(options: FfmpegRunnerOptions): DerivativeRunner {
  const { ffmpeg, ffprobe } = options.binaries;
  const limits = (until: number) => ({ timeoutMs: Math.max(1, until - Date.now()), memoryMb: options.memoryMb });
  const run = async (input: string, args: string[], until: number, opts: { seconds?: number; onTime?: (seconds: number) => void } = {}) => {
    const bounded = ["-t", String(opts.seconds ?? RESULT_BOUNDS.maxSeconds), "-max_pixels", String(MAX_FRAME_PIXELS), "-i", input];
    const progress = opts.onTime ? ["-progress", "pipe:1", "-nostats"] : [];
    const onStdout = opts.onTime
      ? (chunk: string) => {
          for (const match of chunk.matchAll(/out_time_ms=(\d+)/g)) opts.onTime?.(Number(match[1]) / 1_000_000);
        }
      : undefined;
    const { code, stderr } = await runBounded(
      ffmpeg,
      ["-hide_banner", "-nostdin", "-loglevel", "error", "-y", ...progress, ...bounded, ...args],
      limits(until),
      onStdout,
    );
    if (code !== 0) throw new Error(`ffmpeg exited with ${code}: ${stderr.trim().slice(-500)}`);
  };

  return {
    probe(input, until) {
      return ffprobe ? probeWithFfprobe(ffprobe, input, limits(until)) : probeWithFfmpeg(ffmpeg, input, limits(until));
    },

    async remux(input, output, until) {
      // Stream copy: the same packets, only the index (moov) moves to the front.
      await run(input, ["-map", "0", "-c", "copy", "-movflags", "+faststart", "-f", "mp4", output], until);
    },

    async frame(input, output, until) {
      // The very first frame: what the player shows before it starts, so nothing jumps. Quality 6
      // of mjpeg's 2–31: a grainy 720×1280 frame is ~100 KB (235 KB at 3), half a second less on a
      // phone's link for a picture shown only until playback starts (P11).
      await run(input, ["-frames:v", "1", "-q:v", "6", "-f", "image2", output], until);
    },

    async preview(input, output, facts, until) {
      // Pages carry this inside their HTML, so it shows with the page's first paint. The light
      // rendition's size: what a phone plays next, so the picture does not change when it starts.
      const full = lightSize(facts);
      for (const [index, step] of PREVIEW_STEPS.entries()) {
        const scale = `scale=${even(full.width * step.scale)}:${even(full.height * step.scale)}:flags=lanczos`;
        await run(input, ["-frames:v", "1", "-vf", scale, "-c:v", "libwebp", "-q:v", String(step.quality), "-f", "webp", output], until);
        if ((await stat(output)).size <= INLINE_POSTER_MAX_BYTES || index === PREVIEW_STEPS.length - 1) return;
      }
    },

    async light(input, output, facts, until, onProgress) {
      const size = lightSize(facts);
      const seconds = Math.min(RESULT_BOUNDS.maxSeconds, facts.durationSeconds || RESULT_BOUNDS.maxSeconds);
      await run(
        input,
        [
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
          "-threads",
          THREADS,
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
        until,
        { onTime: (done) => onProgress?.(done / seconds) },
      );
    },

    async loop(input, output, facts, loop, until, onProgress) {
      // A bounded segment: ping-pong's reverse and the GIF palette hold every frame of it in memory.
      const segment = Math.min(LOOP_MAX_SECONDS, facts.durationSeconds || LOOP_MAX_SECONDS);
      // Ping-pong plays the clip forward then backward, so the loop has no cut.
      const length = segment * (loop.pingPong ? 2 : 1);
      let attempt = 0;
      for (const step of loopSteps(facts.width)) {
        attempt++;
        const graph = loopFilter(step, loop);
        const codec = loop.format === "gif" ? ["-f", "gif"] : ["-c:v", "libwebp_anim", "-lossless", "0", "-q:v", "60", "-compression_level", "4", "-f", "webp"];
        await run(input, ["-an", "-filter_complex", graph, "-map", "[out]", "-loop", "0", ...codec, output], until, {
          seconds: segment,
          onTime: (seconds) => onProgress?.(Math.min(0.99, seconds / length)),
        });
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
