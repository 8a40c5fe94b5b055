import { ffmpegBinary } from "../../bench/support/test-pattern-clip";
import { resolveFfmpeg } from "@/lib/ffmpeg/ffmpeg-binaries";
import { createFfmpegRunner } from "@/lib/media/derivatives/ffmpeg-runner";

/** The system's ffprobe when there is one (Debian's ffmpeg package); null otherwise. */
export const systemFfprobe = (): string | null => resolveFfmpeg({}).ffprobe;

/** The app's runner over the shipped ffmpeg, probing with ffprobe (or, with `ffprobe: null`, with `ffmpeg -i`). */
export const testRunner = (binaries: { ffmpeg?: string; ffprobe?: string | null } = {}) =>
  createFfmpegRunner({
    binaries: { ffmpeg: binaries.ffmpeg ?? ffmpegBinary(), ffprobe: binaries.ffprobe === undefined ? systemFfprobe() : binaries.ffprobe },
    memoryMb: 1_024,
  });

/** A deadline far enough away for any test clip. */
export const aMinuteFromNow = () => Date.now() + 60_000;
