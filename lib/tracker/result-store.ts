import "server-only";
import { mp4HeadProblem } from "@/lib/media/is-mp4";
import { videoKeyFor, type MediaStore } from "@/lib/media/media-store";
import type { GenerationProvider } from "@/lib/upstream/provider";
import { classifyResultFailure, type ResultFailure } from "./result-failure";

export type ResultOutcome =
  | { kind: "stored"; resultKey: string; resultBytes: number }
  /** Our storage has no room for it: nothing was downloaded. */
  | { kind: "no_room" }
  | { kind: "failed"; failure: ResultFailure; error: unknown };

/**
 * Copies a finished video from the provider into our media store: looks for room first
 * (a full disk would only be found after downloading the whole file), checks its size and
 * that it is an MP4 while it streams in. Never throws: every failure comes back classified.
 */
export function createResultStore(options: { media: MediaStore; provider: Pick<GenerationProvider, "openResult">; maxResultBytes: number }) {
  const { media, provider } = options;
  return {
    /** `declaredBytes` remembers the size a link declared, so a full disk is noticed without opening it again. */
    async store(generationId: string, videoUrl: string, declared: { bytes: number }): Promise<ResultOutcome> {
      const key = videoKeyFor(generationId);
      try {
        if (!(await media.hasRoom(declared.bytes))) return { kind: "no_room" };
        const download = await provider.openResult(videoUrl);
        declared.bytes = download.contentLength ?? declared.bytes;
        if (download.contentLength !== null && !(await media.hasRoom(download.contentLength))) {
          await download.body.cancel().catch(() => undefined);
          return { kind: "no_room" };
        }
        const { bytes } = await media.putStream(key, download.body, { maxBytes: options.maxResultBytes, checkHead: mp4HeadProblem });
        return { kind: "stored", resultKey: key, resultBytes: bytes };
      } catch (error) {
        return { kind: "failed", failure: classifyResultFailure(error), error };
      }
    },

    /** A stored file whose generation went away meanwhile: do not leave it orphaned. */
    discard: (key: string) => media.delete(key),
  };
}

export type ResultStore = ReturnType<typeof createResultStore>;
