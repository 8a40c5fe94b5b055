import { spawnSync } from "node:child_process";
import { existsSync, renameSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";

const require = createRequire(import.meta.url);

/**
 * A provider-sized result made at run time with the shipped ffmpeg (nothing downloaded):
 * 6 s of 720×1280 test pattern with moving grain at ~6.7 Mbit/s (~5 MB), index (moov) at
 * the end as ffmpeg writes it by default.
 */
export function heavyClip(): { file: string; bytes: number } {
  const file = path.join(os.tmpdir(), "portrait-live-bench-heavy-720p-v1.mp4");
  if (!existsSync(file)) {
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
        "testsrc2=size=720x1280:rate=25",
        "-vf",
        "noise=alls=24:allf=t+u,format=yuv420p",
        "-t",
        "6",
        "-c:v",
        "libx264",
        "-preset",
        "veryfast",
        "-b:v",
        "6700k",
        "-maxrate",
        "6700k",
        "-bufsize",
        "3000k",
        "-f",
        "mp4",
        partial,
      ],
      { encoding: "utf8" },
    );
    if (result.status !== 0) throw new Error(`ffmpeg failed: ${result.stderr}`);
    renameSync(partial, file);
  }
  return { file, bytes: statSync(file).size };
}
