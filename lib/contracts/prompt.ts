import { z } from "zod";

export const PROMPT_MAX_CODE_POINTS = 2000;

/** The provider counts characters as Unicode code points, so an emoji is one, not two. */
export function promptLength(prompt: string): number {
  let count = 0;
  for (const _ of prompt) count++;
  return count;
}

export const promptSchema = z
  .string()
  .refine((value) => promptLength(value) <= PROMPT_MAX_CODE_POINTS, {
    message: `The prompt must be at most ${PROMPT_MAX_CODE_POINTS} characters.`,
  })
  .refine((value) => !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(value), {
    message: "The prompt contains control characters.",
  })
  .refine((value) => !/[\u202A-\u202E\u2066-\u2069]/.test(value), {
    message: "The prompt contains text-direction override characters, which can disguise what it says.",
  })
  .refine((value) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(value), {
    message: "The prompt contains broken Unicode (an unpaired surrogate).",
  });
