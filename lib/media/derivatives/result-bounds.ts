import type { VideoFacts } from "./derivative-runner";

// What derived media is made from: results near the model's spec (VIDEO_SPEC: 6 s, up to 1080p,
// H.264). Anything far outside it is kept and downloadable as stored, but nothing is derived from it.

export const RESULT_BOUNDS = {
  maxSeconds: 30,
  /** 4K either way up. */
  maxLongSide: 3840,
  maxShortSide: 2160,
  codecs: ["h264", "hevc"],
  videoStreams: 1,
} as const;

/** Every ffmpeg run decodes at most this many pixels a frame (-max_pixels), whatever the probe said. */
export const MAX_FRAME_PIXELS = RESULT_BOUNDS.maxLongSide * RESULT_BOUNDS.maxShortSide;

/** Loops are made from the start of the video, at most this long (before ping-pong doubles it). */
export const LOOP_MAX_SECONDS = 6;

/** Why nothing is derived from this result, in the words a visitor sees; null when it is within bounds. */
export function outsideBounds(facts: VideoFacts): string | null {
  const refuse = (reason: string) => `Nothing is made from this video: ${reason}. The video itself can still be downloaded.`;
  if (facts.videoStreams !== RESULT_BOUNDS.videoStreams) return refuse(`it has ${facts.videoStreams} video streams (one expected)`);
  if (!(RESULT_BOUNDS.codecs as readonly string[]).includes(facts.codec)) return refuse(`it is encoded as ${facts.codec} (H.264 or H.265 expected)`);
  if (facts.durationSeconds > RESULT_BOUNDS.maxSeconds) {
    return refuse(`it is ${Math.round(facts.durationSeconds)} s long (at most ${RESULT_BOUNDS.maxSeconds} s)`);
  }
  const long = Math.max(facts.width, facts.height);
  const short = Math.min(facts.width, facts.height);
  if (long > RESULT_BOUNDS.maxLongSide || short > RESULT_BOUNDS.maxShortSide) {
    return refuse(`it is ${facts.width}×${facts.height} (at most ${RESULT_BOUNDS.maxLongSide}×${RESULT_BOUNDS.maxShortSide})`);
  }
  return null;
}
