/** What a stored result is made into; tests swap the ffmpeg implementation for their own. */
export interface VideoFacts {
  width: number;
  height: number;
  durationSeconds: number;
}

export type LoopFormat = "gif" | "webp";

export interface LoopOptions {
  format: LoopFormat;
  pingPong: boolean;
}

/** Each method reads `input` and writes `output` (local paths); progress is 0..1. */
export interface DerivativeRunner {
  probe(input: string): Promise<VideoFacts>;
  /** The same streams, index (moov) first, for progressive playback. */
  remux(input: string, output: string): Promise<void>;
  /** The first frame as a JPEG at the video's size. */
  poster(input: string, output: string): Promise<void>;
  /** The first frame as a small WebP at the light rendition's size, within INLINE_POSTER_MAX_BYTES. */
  preview(input: string, output: string, facts: VideoFacts): Promise<void>;
  /** A smaller H.264 rendition for phones and slow links. */
  light(input: string, output: string, facts: VideoFacts, onProgress?: (progress: number) => void): Promise<void>;
  /** An animated GIF or WebP at most 480 px wide (a GIF at most 8 MB). */
  loop(input: string, output: string, facts: VideoFacts, loop: LoopOptions, onProgress?: (progress: number) => void): Promise<void>;
}
