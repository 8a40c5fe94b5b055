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
 * Whole motion prompts for takes, written out rather than pieced together: each is one
 * distinct, face-centred movement in 10–30 words, ready to send or to edit.
 */
export const CURATED_MOTIONS = [
  { label: "Warm smile", prompt: "The person slowly breaks into a warm, natural smile, their eyes softening as they look into the camera." },
  { label: "Blink and glance", prompt: "The person blinks softly, glances to one side, then looks back at the camera with a calm expression." },
  { label: "Turn to camera", prompt: "The person gently turns their head toward the camera and settles into a relaxed, steady gaze." },
  { label: "Quiet laugh", prompt: "The person laughs quietly with relaxed shoulders, and the laugh fades into a gentle smile." },
  { label: "A few words", prompt: "The person says a few friendly words to the camera with natural lip movement and small nods." },
  { label: "Slow nod", prompt: "The person nods slowly in agreement, with a faint smile and a calm, attentive look." },
  { label: "Light breeze", prompt: "The person breathes calmly while a light breeze stirs their hair; the face stays still and relaxed." },
  { label: "Look up", prompt: "The person lifts their eyes upward in thought, then lowers them back to the camera and smiles slightly." },
  { label: "Pleasant surprise", prompt: "The person raises their eyebrows in pleasant surprise, then their face relaxes into an easy smile." },
  { label: "Curious tilt", prompt: "The person tilts their head slightly to one side with a curious, friendly expression, then straightens up." },
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
