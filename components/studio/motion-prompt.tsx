"use client";

import { PROMPT_MAX_CODE_POINTS, promptLength } from "@/lib/contracts/prompt";

/** Subtle, face-centred motion is what this model does best; camera moves are not supported. */
const MOTION_PRESETS = [
  { label: "Smile", text: "slowly breaks into a warm, natural smile" },
  { label: "Blink", text: "blinks softly and naturally" },
  { label: "Turn to camera", text: "turns her head gently toward the camera" },
  { label: "Laugh", text: "laughs quietly, shoulders relaxing" },
  { label: "Speak", text: "speaks a few words with natural lip movement" },
  { label: "Nod", text: "nods slowly in agreement" },
  { label: "Breeze", text: "hair moves lightly in a soft breeze" },
] as const;

export interface MotionSettings {
  prompt: string;
  promptOptimizer: boolean;
  watermark: boolean;
}

export function MotionPrompt({
  value,
  onChange,
  error,
}: {
  value: MotionSettings;
  onChange: (next: MotionSettings) => void;
  error: string | null;
}) {
  const length = promptLength(value.prompt);
  const over = length > PROMPT_MAX_CODE_POINTS;
  const addPreset = (text: string) => {
    const base = value.prompt.trim();
    onChange({ ...value, prompt: base ? `${base.replace(/[.,;]?$/, ",")} ${text}` : `She ${text}.` });
  };

  return (
    <div className="flex flex-col gap-3">
      <div className="flex items-baseline justify-between">
        <label htmlFor="prompt" className="text-sm font-medium text-neutral-800 dark:text-neutral-200">
          What should happen?
        </label>
        <span className={`text-xs tabular-nums ${over ? "font-semibold text-red-700 dark:text-red-400" : "text-neutral-600 dark:text-neutral-400"}`} data-testid="prompt-counter" aria-live="polite">
          {length} / {PROMPT_MAX_CODE_POINTS}
        </span>
      </div>
      <textarea
        id="prompt"
        rows={3}
        value={value.prompt}
        onChange={(event) => onChange({ ...value, prompt: event.currentTarget.value })}
        placeholder="She smiles and turns to the camera."
        aria-invalid={over || error ? true : undefined}
        aria-describedby="prompt-help prompt-error"
        className="w-full resize-y rounded-xl border border-neutral-300 bg-white px-3 py-2 text-neutral-900 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-indigo-600 dark:border-neutral-700 dark:bg-neutral-900 dark:text-neutral-100"
      />
      <p id="prompt-help" className="text-xs text-neutral-600 dark:text-neutral-400">
        10–30 words about small movements work best: a smile, a blink, a turn of the head. Camera moves are not supported.
      </p>
      <p id="prompt-error" role={over || error ? "alert" : undefined} className="text-sm text-red-700 dark:text-red-400" data-testid="prompt-error">
        {over ? `The prompt is ${length} characters; the limit is ${PROMPT_MAX_CODE_POINTS}.` : error}
      </p>
      <div role="group" aria-label="Motion ideas" className="flex flex-wrap gap-2">
        {MOTION_PRESETS.map((preset) => (
          <button
            key={preset.label}
            type="button"
            onClick={() => addPreset(preset.text)}
            className="rounded-full bg-neutral-100 px-3 py-1 text-sm text-neutral-800 hover:bg-neutral-200 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-indigo-600 dark:bg-neutral-800 dark:text-neutral-100 dark:hover:bg-neutral-700"
          >
            + {preset.label}
          </button>
        ))}
      </div>
      <div className="flex flex-col gap-2 text-sm text-neutral-800 dark:text-neutral-200">
        <Switch
          label="Let the provider refine my prompt"
          checked={value.promptOptimizer}
          onChange={(promptOptimizer) => onChange({ ...value, promptOptimizer })}
        />
        <Switch label="Add an AI-generated watermark" checked={value.watermark} onChange={(watermark) => onChange({ ...value, watermark })} />
      </div>
      <p className="text-xs text-neutral-600 dark:text-neutral-400" data-testid="video-facts">
        Every video is <strong>6 seconds</strong> at <strong>720P</strong> — the model's fixed format.
      </p>
    </div>
  );
}

function Switch({ label, checked, onChange }: { label: string; checked: boolean; onChange: (checked: boolean) => void }) {
  return (
    <label className="flex cursor-pointer items-center gap-3">
      <input type="checkbox" role="switch" checked={checked} onChange={(event) => onChange(event.currentTarget.checked)} className="peer sr-only" />
      <span
        aria-hidden
        className="relative h-6 w-11 shrink-0 rounded-full bg-neutral-300 transition peer-checked:bg-indigo-600 peer-focus-visible:outline peer-focus-visible:outline-2 peer-focus-visible:outline-offset-2 peer-focus-visible:outline-indigo-600 after:absolute after:left-0.5 after:top-0.5 after:h-5 after:w-5 after:rounded-full after:bg-white after:transition peer-checked:after:translate-x-5 dark:bg-neutral-700"
      />
      {label}
    </label>
  );
}
