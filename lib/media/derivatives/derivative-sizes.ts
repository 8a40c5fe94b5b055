import type { VideoFacts } from "./derivative-runner";

// The sizes of derived media: what the job decides to make, apart from the ffmpeg that makes it.

/**
 * The most a page carries inline for its poster. On a phone's link (about 200 KB/s) a
 * separate request for the picture shares the line with the page's scripts and arrives
 * after them; inside the HTML it shows with the first paint (P12). The page's data repeats
 * it once more, so the cost to each visitor is about twice this.
 */
export const INLINE_POSTER_MAX_BYTES = 20 * 1024;

const LIGHT_SHORT_SIDE = 540;

/** Video encoders want even sides. */
export const even = (value: number) => Math.max(2, Math.floor(value / 2) * 2);

/** The light rendition (and the preview): short side 540 (never larger than the source), the other side in proportion, both even. */
export function lightSize(facts: Pick<VideoFacts, "width" | "height">): { width: number; height: number } {
  const short = Math.min(facts.width, facts.height);
  if (short <= LIGHT_SHORT_SIDE) return { width: even(facts.width), height: even(facts.height) };
  const scale = LIGHT_SHORT_SIDE / short;
  return { width: even(facts.width * scale), height: even(facts.height * scale) };
}
