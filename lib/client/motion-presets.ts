/**
 * Motion ideas for the prompt. I2V-01-Live does best with subtle, face-centred motion
 * described in 10–30 words; it does not do camera moves, so none are offered.
 * Each phrase continues "The person …" (third person singular).
 */
export const MOTION_PRESETS = [
  { label: "Smile", phrase: "slowly breaks into a warm, natural smile" },
  { label: "Blink", phrase: "blinks softly and naturally" },
  { label: "Turn to camera", phrase: "gently turns their head toward the camera" },
  { label: "Laugh", phrase: "laughs quietly as their shoulders relax" },
  { label: "Speak", phrase: "says a few words with natural lip movement" },
  { label: "Nod", phrase: "nods slowly in agreement" },
  { label: "Breathe", phrase: "breathes calmly while their hair stirs in a light breeze" },
] as const;

/**
 * Adds a motion to the prompt as one more clause of the same sentence:
 * "" + smile → "The person slowly breaks into a warm, natural smile."
 * then + blink → "The person slowly breaks into a warm, natural smile, then blinks softly and naturally."
 * A phrase already in the prompt is not added twice.
 */
export function appendMotion(prompt: string, phrase: string): string {
  const base = prompt.trim();
  if (!base) return `The person ${phrase}.`;
  if (base.toLowerCase().includes(phrase.toLowerCase())) return prompt;
  return `${base.replace(/[\s.,;!]+$/u, "")}, then ${phrase}.`;
}

/** Words, the unit the model's guidance is given in. */
export function wordCount(prompt: string): number {
  return prompt.trim() ? prompt.trim().split(/\s+/u).length : 0;
}
