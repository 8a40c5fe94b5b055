"use client";

import { Switch } from "@/components/ui/switch";
import { appendMotion, MOTION_PRESETS, wordCount } from "@/lib/client/motion-presets";
import { PROMPT_MAX_CODE_POINTS, promptLength } from "@/lib/contracts/prompt";
import { VIDEO_SPEC } from "@/lib/contracts/video-spec";

export interface MotionSettings {
  prompt: string;
  promptOptimizer: boolean;
  watermark: boolean;
}

/** The prompt with its live counter, motion ideas, and the two provider switches. */
export function MotionPrompt({ value, onChange, error }: { value: MotionSettings; onChange: (next: MotionSettings) => void; error: string | null }) {
  const length = promptLength(value.prompt);
  const words = wordCount(value.prompt);
  const over = length > PROMPT_MAX_CODE_POINTS;
  const message = over ? `The prompt is ${length} characters; the limit is ${PROMPT_MAX_CODE_POINTS}.` : error;

  return (
    <div className="flex flex-col gap-3">
      <div className="flex items-baseline justify-between gap-3">
        <label htmlFor="prompt" className="text-sm font-medium text-neutral-800 dark:text-neutral-200">
          What should happen?
        </label>
        <span className="text-xs tabular-nums text-neutral-600 dark:text-neutral-400">
          {words > 0 ? `${words} ${words === 1 ? "word" : "words"} · ` : ""}
          <span className={over ? "font-semibold text-red-700 dark:text-red-400" : undefined} data-testid="prompt-counter">
            {length} / {PROMPT_MAX_CODE_POINTS}
          </span>
        </span>
      </div>
      <textarea
        id="prompt"
        rows={3}
        value={value.prompt}
        onChange={(event) => onChange({ ...value, prompt: event.currentTarget.value })}
        placeholder="The person smiles, then gently turns their head toward the camera."
        aria-invalid={message ? true : undefined}
        aria-describedby="prompt-help prompt-error"
        className="w-full resize-y rounded-xl border border-neutral-300 bg-white px-3 py-2 text-neutral-900 placeholder:text-neutral-500 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-indigo-600 aria-invalid:border-red-600 dark:border-neutral-700 dark:bg-neutral-900 dark:text-neutral-100 dark:placeholder:text-neutral-500"
      />
      <p id="prompt-help" className="text-xs text-neutral-600 dark:text-neutral-400">
        10–30 words about small movements work best: a smile, a blink, a turn of the head. Camera moves are not supported. Optional.
      </p>
      {/* Always present, so screen readers announce the message the moment it appears. */}
      <p id="prompt-error" role="alert" className="text-sm font-medium text-red-700 dark:text-red-400" data-testid="prompt-error">
        {message}
      </p>
      <div role="group" aria-label="Add a motion to the prompt" className="flex flex-wrap gap-2">
        {MOTION_PRESETS.map((preset) => (
          <button
            key={preset.label}
            type="button"
            onClick={() => onChange({ ...value, prompt: appendMotion(value.prompt, preset.phrase) })}
            className="rounded-full bg-neutral-100 px-3 py-1.5 text-sm text-neutral-800 hover:bg-neutral-200 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-indigo-600 dark:bg-neutral-800 dark:text-neutral-100 dark:hover:bg-neutral-700"
          >
            <span aria-hidden>+ </span>
            {preset.label}
          </button>
        ))}
      </div>
      <div className="flex flex-col gap-3 pt-1 text-sm text-neutral-800 dark:text-neutral-200">
        <Switch
          label="Refine my prompt"
          description="The provider rewrites short prompts into fuller ones. Turn off to use your words exactly."
          checked={value.promptOptimizer}
          onChange={(promptOptimizer) => onChange({ ...value, promptOptimizer })}
        />
        <Switch label="Add an AI-generated watermark" checked={value.watermark} onChange={(watermark) => onChange({ ...value, watermark })} />
      </div>
      <dl className="flex gap-6 rounded-xl bg-neutral-100 px-4 py-2 text-sm dark:bg-neutral-900" data-testid="video-facts">
        <div className="flex gap-1.5">
          <dt className="text-neutral-600 dark:text-neutral-400">Length</dt>
          <dd className="font-semibold">{`${VIDEO_SPEC.durationSeconds} seconds`}</dd>
        </div>
        <div className="flex gap-1.5">
          <dt className="text-neutral-600 dark:text-neutral-400">Quality</dt>
          <dd className="font-semibold">{VIDEO_SPEC.resolution}</dd>
        </div>
      </dl>
    </div>
  );
}
