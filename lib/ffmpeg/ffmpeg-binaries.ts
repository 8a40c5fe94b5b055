import "server-only";
import { execFile } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { FFMPEG_SOURCES } from "@/lib/contracts/health";

const require = createRequire(import.meta.url);

/** Where the ffmpeg in use came from: the setting, the system's PATH, or the npm package (a 2018 build). */
export type FfmpegSource = (typeof FFMPEG_SOURCES)[number];

export interface FfmpegBinaries {
  ffmpeg: string;
  source: FfmpegSource;
  /** null: none configured or on PATH (the bundled build has none); results are then probed with `ffmpeg -i`. */
  ffprobe: string | null;
}

export interface FfmpegSettings {
  FFMPEG_PATH?: string;
  FFPROBE_PATH?: string;
}

/** The ffmpeg shipped inside @ffmpeg-installer (nothing is downloaded at run time). */
export function bundledFfmpeg(): string {
  return (require("@ffmpeg-installer/ffmpeg") as { path: string }).path;
}

function onPath(name: string, searchPath = process.env.PATH ?? ""): string | null {
  for (const dir of searchPath.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not in this folder.
    }
  }
  return null;
}

/** A configured ffmpeg first, then a system one on PATH (maintained, with ffprobe), the bundled build last. */
export function resolveFfmpeg(settings: FfmpegSettings, searchPath?: string): FfmpegBinaries {
  const ffprobe = settings.FFPROBE_PATH ?? onPath("ffprobe", searchPath);
  if (settings.FFMPEG_PATH) return { ffmpeg: settings.FFMPEG_PATH, source: "FFMPEG_PATH", ffprobe };
  const system = onPath("ffmpeg", searchPath);
  if (system) return { ffmpeg: system, source: "PATH", ffprobe };
  return { ffmpeg: bundledFfmpeg(), source: "bundled", ffprobe };
}

const versions = new Map<string, Promise<string | null>>();

/** `ffmpeg -version`'s version word (e.g. "5.1.6-0+deb12u1"), asked once per binary; null when it does not answer. */
export function ffmpegVersion(binary: string): Promise<string | null> {
  let known = versions.get(binary);
  if (!known) {
    known = new Promise((resolve) => {
      execFile(binary, ["-version"], { timeout: 10_000 }, (error, stdout) => {
        resolve(error ? null : (/^ffmpeg version (\S+)/.exec(stdout)?.[1] ?? null));
      });
    });
    versions.set(binary, known);
  }
  return known;
}
