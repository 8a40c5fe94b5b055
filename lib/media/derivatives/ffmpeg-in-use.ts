import "server-only";
import type { Env } from "@/lib/env";
import { ffmpegVersion, resolveFfmpeg, type FfmpegBinaries, type FfmpegSource } from "@/lib/ffmpeg/ffmpeg-binaries";

interface StartLog {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

let resolved: FfmpegBinaries | null = null;

/** The ffmpeg (and ffprobe) this process runs, chosen once from FFMPEG_PATH / FFPROBE_PATH, PATH and the bundled build. */
export function ffmpegInUse(config: Pick<Env, "FFMPEG_PATH" | "FFPROBE_PATH">): FfmpegBinaries {
  resolved ??= resolveFfmpeg(config);
  return resolved;
}

export interface FfmpegReport {
  source: FfmpegSource;
  /** null: the binary did not answer `-version`. */
  version: string | null;
  ffprobe: boolean;
}

export async function describeFfmpeg(config: Pick<Env, "FFMPEG_PATH" | "FFPROBE_PATH">): Promise<FfmpegReport> {
  const binaries = ffmpegInUse(config);
  return { source: binaries.source, version: await ffmpegVersion(binaries.ffmpeg), ffprobe: binaries.ffprobe !== null };
}

/** Says at start-up which ffmpeg runs, and warns of what is missing or old. */
export async function logFfmpegInUse(config: Pick<Env, "FFMPEG_PATH" | "FFPROBE_PATH">, log: StartLog): Promise<void> {
  const binaries = ffmpegInUse(config);
  const report = await describeFfmpeg(config);
  log.info({ ffmpeg: binaries.ffmpeg, source: report.source, version: report.version, ffprobe: binaries.ffprobe }, "ffmpeg in use");
  if (report.version === null) log.warn({ ffmpeg: binaries.ffmpeg }, "ffmpeg does not answer -version: derived media will fail (check FFMPEG_PATH)");
  if (report.source === "bundled")
    log.warn({}, "using the bundled 2018 ffmpeg build: install a system ffmpeg (Debian: apt-get install ffmpeg) or set FFMPEG_PATH");
  if (!binaries.ffprobe) log.warn({}, "no ffprobe found (set FFPROBE_PATH or install ffmpeg): results are probed from `ffmpeg -i` output instead");
}
