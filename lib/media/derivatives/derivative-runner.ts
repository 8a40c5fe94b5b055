import type { LoopFormat } from "@/lib/contracts/derived-media";

export type { LoopFormat };

/** What a stored result is made into; tests swap the ffmpeg implementation for their own. */
export interface VideoFacts {
  /** As displayed (a rotated stream's sides swapped). */
  width: number;
  height: number;
  /** 0 when the file does not say. */
  durationSeconds: number;
  /** The first video stream's codec, as ffmpeg names it (h264, hevc, vp9, ...). */
  codec: string;
  videoStreams: number;
}

export interface LoopOptions {
  format: LoopFormat;
  pingPong: boolean;
}

/**
 * Each method reads `input` and writes `output` (local paths); progress is 0..1. `until` is the
 * job's deadline (epoch ms): a run still going then is killed and the method fails.
 */
export interface DerivativeRunner {
  probe(input: string, until: number): Promise<VideoFacts>;
  /** The same streams, index (moov) first, for progressive playback. */
  remux(input: string, output: string, until: number): Promise<void>;
  /** The first frame as a JPEG at the video's size. */
  frame(input: string, output: string, until: number): Promise<void>;
  /** The first frame as a small WebP at the light rendition's size, within INLINE_POSTER_MAX_BYTES. */
  preview(input: string, output: string, facts: VideoFacts, until: number): Promise<void>;
  /** A smaller H.264 rendition for phones and slow links. */
  light(input: string, output: string, facts: VideoFacts, until: number, onProgress?: (progress: number) => void): Promise<void>;
  /** An animated GIF or WebP at most 480 px wide (a GIF at most 8 MB), of the video's first LOOP_MAX_SECONDS. */
  loop(input: string, output: string, facts: VideoFacts, loop: LoopOptions, until: number, onProgress?: (progress: number) => void): Promise<void>;
}
