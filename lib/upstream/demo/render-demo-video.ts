import "server-only";
import { spawn } from "node:child_process";
import { rename, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { outputSize } from "@/lib/upstream/output-size";
import { VIDEO_SPEC } from "@/lib/contracts/video-spec";

const require = createRequire(import.meta.url);

function ffmpegPath(): string {
  // Resolved at run time: the binary ships inside an npm package, nothing is downloaded.
  return (require("@ffmpeg-installer/ffmpeg") as { path: string }).path;
}

const FPS = 25;
const SECONDS = VIDEO_SPEC.durationSeconds;

/**
 * Renders a real, playable H.264 MP4 as long as the model's (VIDEO_SPEC) from a still: a slow push-in, the kind of
 * subtle motion the real model favours. Writes atomically (temp file, then rename).
 */
export async function renderDemoVideo(input: { imagePath: string; outputPath: string; width: number; height: number }): Promise<void> {
  const size = outputSize(input.width, input.height);
  const frames = FPS * SECONDS;
  // Upscaling before zoompan avoids the jitter zoompan shows at the output size.
  const filter = [
    `scale=${size.width * 2}:${size.height * 2}:force_original_aspect_ratio=increase`,
    `crop=${size.width * 2}:${size.height * 2}`,
    `zoompan=z='1+0.12*on/${frames}':d=${frames}:x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':s=${size.width}x${size.height}:fps=${FPS}`,
    "format=yuv420p",
  ].join(",");
  const partial = `${input.outputPath}.partial.mp4`;
  const args = [
    "-hide_banner",
    "-loglevel",
    "error",
    "-y",
    "-i",
    input.imagePath,
    "-vf",
    filter,
    "-frames:v",
    String(frames),
    "-c:v",
    "libx264",
    "-preset",
    "veryfast",
    "-crf",
    "23",
    "-movflags",
    "+faststart",
    partial,
  ];
  try {
    await run(ffmpegPath(), args);
    await rename(partial, input.outputPath);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2000);
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve();
      else reject(new Error(`ffmpeg exited with ${code}: ${stderr.trim()}`));
    });
  });
}
