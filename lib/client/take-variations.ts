import { appendMotion, MOTION_PRESETS } from "./motion-presets";

/**
 * Prompts for `count` takes: the first is the user's own (or, when empty, the first motion
 * idea); each further take adds a different motion idea to it, skipping ideas the prompt
 * already has, so every take asks for something different.
 */
export function buildVariations(base: string, count: number): string[] {
  const trimmed = base.trim();
  const unused = MOTION_PRESETS.filter((preset) => !trimmed.toLowerCase().includes(preset.phrase.toLowerCase()));
  const ideas = unused.length > 0 ? unused : [...MOTION_PRESETS];
  const prompts: string[] = [];
  let next = 0;
  if (!trimmed) prompts.push(appendMotion("", ideas[next++ % ideas.length]!.phrase));
  else prompts.push(base);
  while (prompts.length < count) {
    const idea = ideas[next++ % ideas.length]!;
    prompts.push(appendMotion(trimmed, idea.phrase));
  }
  return prompts.slice(0, count);
}
