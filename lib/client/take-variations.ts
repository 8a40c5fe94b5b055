import { CURATED_MOTIONS } from "./motion-presets";

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * Prompts for `count` takes: the first is the user's own (or, when empty, the first curated
 * motion); each further take gets a different curated motion, word for word, starting at
 * `from` in the list (Vary moves it on) and never the user's own prompt again.
 */
export function buildVariations(base: string, count: number, from = 0): string[] {
  const first = base.trim() ? base : CURATED_MOTIONS[0].prompt;
  const motions = CURATED_MOTIONS.map((motion) => motion.prompt).filter((prompt) => !same(prompt, first));
  const rest = Array.from({ length: Math.max(0, count - 1) }, (_, i) => motions[(from + i) % motions.length]!);
  return [first, ...rest];
}
