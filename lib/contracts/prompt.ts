export const PROMPT_MAX_CODE_POINTS = 2000;

/** The provider counts characters as Unicode code points, so an emoji is one, not two. */
export function promptLength(prompt: string): number {
  let count = 0;
  for (const _ of prompt) count++;
  return count;
}
