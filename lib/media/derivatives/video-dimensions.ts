import { renditionPath } from "@/lib/contracts/paths";
import type { GenerationRecord } from "@/lib/generations/generation-record";
import { outputSize } from "@/lib/upstream/output-size";
import type { DerivativeRecord } from "./derivative-record";

export interface VideoDimensions {
  width: number;
  height: number;
}

/**
 * The stored video's real size, as ffmpeg measured it when it made the frame or the remux (kept
 * on that job's row, so it is read once for every instance); null until one of them is made.
 */
export function measuredSize(jobs: readonly DerivativeRecord[]): VideoDimensions | null {
  const known = jobs.find((job) => (job.kind === "frame" || job.kind === "web") && job.state === "ready" && job.width && job.height);
  return known?.width && known.height ? { width: known.width, height: known.height } : null;
}

/** The size to announce (share tags, oEmbed, embed): the measured one, and the size asked of the provider until then. */
export function videoSizeFor(record: Pick<GenerationRecord, "inputWidth" | "inputHeight">, jobs: readonly DerivativeRecord[]): VideoDimensions {
  return measuredSize(jobs) ?? outputSize(record.inputWidth, record.inputHeight);
}

export interface DerivedMediaView {
  videoWidth: number | null;
  videoHeight: number | null;
  /** Index-first remux and light rendition: linked only once made, so a URL never changes files. */
  webVideoUrl: string | null;
  lightVideoUrl: string | null;
}

/** What the player needs of a result's derived media, from its jobs; `videoBase` is the video route (owner's or shared). */
export function derivedMediaOf(jobs: readonly DerivativeRecord[], videoBase: string): DerivedMediaView {
  const size = measuredSize(jobs);
  const ready = (kind: "web" | "light") => jobs.some((job) => job.kind === kind && job.state === "ready");
  return {
    videoWidth: size?.width ?? null,
    videoHeight: size?.height ?? null,
    webVideoUrl: ready("web") ? renditionPath(videoBase, "web") : null,
    lightVideoUrl: ready("light") ? renditionPath(videoBase, "light") : null,
  };
}
