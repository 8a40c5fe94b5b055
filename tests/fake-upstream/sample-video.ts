import { spawnSync } from "node:child_process";
import { existsSync, renameSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";

const require = createRequire(import.meta.url);

/** A real, playable 6 s 720P H.264 MP4, made once per machine and reused. */
export function sampleVideoPath(): string {
  const file = path.join(os.tmpdir(), "portrait-live-fake-upstream-sample-v1.mp4");
  if (existsSync(file)) return file;
  const ffmpeg = (require("@ffmpeg-installer/ffmpeg") as { path: string }).path;
  const partial = `${file}.${process.pid}.partial.mp4`;
  const result = spawnSync(
    ffmpeg,
    [
      "-hide_banner",
      "-loglevel",
      "error",
      "-y",
      "-f",
      "lavfi",
      "-i",
      "testsrc2=size=720x960:rate=24",
      "-t",
      "6",
      "-c:v",
      "libx264",
      "-preset",
      "veryfast",
      "-pix_fmt",
      "yuv420p",
      "-movflags",
      "+faststart",
      partial,
    ],
    { encoding: "utf8" },
  );
  if (result.status !== 0) throw new Error(`ffmpeg failed: ${result.stderr}`);
  renameSync(partial, file);
  return file;
}
