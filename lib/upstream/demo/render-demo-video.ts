import "server-only";
import { rename, rm } from "node:fs/promises";
import { VIDEO_SPEC } from "@/lib/contracts/video-spec";
import { runBounded, type RunLimits } from "@/lib/ffmpeg/run-bounded";
import { outputSize } from "@/lib/upstream/output-size";

export interface DemoFfmpeg extends RunLimits {
  binary: string;
}

const FPS = 25;
const SECONDS = VIDEO_SPEC.durationSeconds;

/**
 * Renders a real, playable H.264 MP4 as long as the model's (VIDEO_SPEC) from a still: a slow push-in, the kind of
 * subtle motion the real model favours. Writes atomically (temp file, then rename).
 */
export async function renderDemoVideo(input: { imagePath: string; outputPath: string; width: number; height: number }, ffmpeg: DemoFfmpeg): Promise<void> {
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
    // Bounded like every other run: a render that hangs is killed and fails the task.
    const { code, stderr } = await runBounded(ffmpeg.binary, args, ffmpeg);
    if (code !== 0) throw new Error(`ffmpeg exited with ${code}: ${stderr.trim().slice(-500)}`);
    await rename(partial, input.outputPath);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}
