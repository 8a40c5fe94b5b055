import { spawnSync } from "node:child_process";
import { existsSync, renameSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";

const require = createRequire(import.meta.url);

/** The ffmpeg the app ships (@ffmpeg-installer): nothing is downloaded at run time. */
export const ffmpegBinary = (): string => (require("@ffmpeg-installer/ffmpeg") as { path: string }).path;

export interface TestPatternSpec {
  /** e.g. "720x960" */
  size: string;
  rate: number;
  seconds: number;
  preset?: string;
  /** More output options (pixel format, bitrate, filters, container flags). */
  args?: string[];
}

/** Encodes ffmpeg's moving test pattern as H.264 into `file`; fails with ffmpeg's own words. */
export function encodeTestPattern(file: string, spec: TestPatternSpec): void {
  const result = spawnSync(
    ffmpegBinary(),
    [
      ...["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", `testsrc2=size=${spec.size}:rate=${spec.rate}`],
      ...["-t", String(spec.seconds), "-c:v", "libx264", "-preset", spec.preset ?? "veryfast", ...(spec.args ?? []), file],
    ],
    { encoding: "utf8" },
  );
  if (result.status !== 0) throw new Error(`ffmpeg failed: ${result.stderr}`);
}

/** The same clip made once per machine in the temp folder, written aside and renamed so a half-made file is never used. */
export function cachedTestPattern(name: string, spec: TestPatternSpec): string {
  const file = path.join(os.tmpdir(), name);
  if (existsSync(file)) return file;
  const partial = `${file}.${process.pid}.partial.mp4`;
  encodeTestPattern(partial, spec);
  renameSync(partial, file);
  return file;
}
