"use client";

import { MAX_TAKES } from "@/lib/contracts/take-limits";
import { PROMPT_MAX_CODE_POINTS, promptLength } from "@/lib/contracts/prompt";
import { useState } from "react";
import { CURATED_MOTIONS } from "@/lib/client/motion-presets";
import { buildVariations } from "@/lib/client/take-variations";

export interface TakesSettings {
  count: number;
  /** Every take with the studio's prompt, rather than one prompt each. */
  same: boolean;
  /** Prompts of takes 2.. (take 1 is the studio's prompt). */
  extra: string[];
}

export const SINGLE_TAKE: TakesSettings = { count: 1, same: false, extra: [] };

/** The prompt of every take, in order. */
export function takePrompts(settings: TakesSettings, base: string): string[] {
  return Array.from({ length: settings.count }, (_, i) => (i === 0 || settings.same ? base : (settings.extra[i - 1] ?? "")));
}

/** Why these takes cannot be sent yet, in words; null when they can. */
export function takesProblem(settings: TakesSettings, base: string): string | null {
  if (settings.count === 1) return null;
  const prompts = takePrompts(settings, base);
  const empty = prompts.findIndex((prompt) => prompt.trim() === "");
  if (empty === 0) return "Describe the motion: with several takes, each needs a prompt (or press Vary).";
  if (empty > 0) return `Take ${empty + 1} needs a prompt (or press Vary).`;
  const long = prompts.findIndex((prompt) => promptLength(prompt) > PROMPT_MAX_CODE_POINTS);
  return long >= 0 ? `Take ${long + 1}'s prompt is over ${PROMPT_MAX_CODE_POINTS} characters.` : null;
}

const chip = (on: boolean) =>
  `rounded-lg px-3 py-1.5 text-sm font-semibold focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-indigo-600 ${
    on ? "bg-indigo-600 text-white" : "bg-neutral-100 text-neutral-800 hover:bg-neutral-200 dark:bg-neutral-800 dark:text-neutral-100 dark:hover:bg-neutral-700"
  }`;

const OWN_WORDS = "own";
const field =
  "w-full rounded-xl border border-neutral-300 bg-white px-3 py-2 text-neutral-900 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-indigo-600 dark:border-neutral-700 dark:bg-neutral-900 dark:text-neutral-100";

/** One further take's prompt: a curated motion picked from the list, editable word for word. */
function TakePrompt({ take, prompt, onChange }: { take: number; prompt: string; onChange: (prompt: string) => void }) {
  const picked = CURATED_MOTIONS.findIndex((motion) => motion.prompt === prompt);
  const textId = `take-prompt-text-${take}`;
  return (
    <div className="flex flex-col gap-1 text-sm text-neutral-800 dark:text-neutral-200" data-testid={`take-${take}`}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <label htmlFor={textId} className="font-medium">
          Take {take}
        </label>
        <select
          aria-label={`Motion for take ${take}`}
          value={picked >= 0 ? String(picked) : OWN_WORDS}
          onChange={(event) => {
            const motion = CURATED_MOTIONS[Number(event.currentTarget.value)];
            if (motion) onChange(motion.prompt);
          }}
          className={`${field} w-auto max-w-full py-1.5`}
          data-testid={`take-motion-${take}`}
        >
          {picked < 0 ? <option value={OWN_WORDS}>Your own words</option> : null}
          {CURATED_MOTIONS.map((motion, index) => (
            <option key={motion.label} value={String(index)}>
              {motion.label}
            </option>
          ))}
        </select>
      </div>
      <textarea
        id={textId}
        rows={2}
        value={prompt}
        onChange={(event) => onChange(event.currentTarget.value)}
        className={`${field} resize-y`}
        data-testid={`take-prompt-${take}`}
      />
    </div>
  );
}

/** How many takes, and each one's prompt: the same for all, or one each, picked from curated motions (Vary deals new ones). */
export function TakesPicker({ value, base, onChange }: { value: TakesSettings; base: string; onChange: (next: TakesSettings) => void }) {
  // Where the next Vary starts in the curated list, so each press deals motions not just shown.
  const [varyFrom, setVaryFrom] = useState(0);
  const setCount = (count: number) => {
    // New takes start with curated motions; whatever was typed stays.
    const ideas = buildVariations(base, count, varyFrom).slice(1);
    const extra = ideas.map((idea, i) => (value.extra[i]?.trim() ? value.extra[i]! : idea));
    onChange({ ...value, count, extra });
  };
  return (
    <fieldset className="flex flex-col gap-3 rounded-xl border border-neutral-200 p-3 dark:border-neutral-800" data-testid="takes-picker">
      <legend className="px-1 text-sm font-medium text-neutral-800 dark:text-neutral-200">Takes to compare</legend>
      <div className="flex flex-wrap items-center gap-2">
        {Array.from({ length: MAX_TAKES }, (_, i) => i + 1).map((count) => (
          <button
            key={count}
            type="button"
            aria-pressed={value.count === count}
            className={chip(value.count === count)}
            onClick={() => setCount(count)}
            data-testid={`take-count-${count}`}
          >
            {count}
          </button>
        ))}
        {value.count > 1 ? (
          <label className="ml-2 flex items-center gap-2 text-sm text-neutral-800 dark:text-neutral-200">
            <input
              type="checkbox"
              checked={value.same}
              onChange={(event) => onChange({ ...value, same: event.currentTarget.checked })}
              className="h-4 w-4 accent-indigo-600"
              data-testid="take-same"
            />
            Same prompt for every take
          </label>
        ) : null}
      </div>
      {value.count > 1 && !value.same ? (
        <div className="flex flex-col gap-2">
          <div className="flex items-center justify-between gap-2">
            <p className="text-xs text-neutral-600 dark:text-neutral-400">
              Take 1 uses the prompt above. Pick a motion for each other take, or write your own.
            </p>
            <button
              type="button"
              onClick={() => {
                const from = varyFrom + value.count - 1;
                setVaryFrom(from);
                onChange({ ...value, extra: buildVariations(base, value.count, from).slice(1) });
              }}
              className="rounded-lg px-2 py-1 text-sm font-medium text-indigo-700 hover:bg-indigo-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600 dark:text-indigo-300 dark:hover:bg-neutral-800"
              data-testid="take-vary"
            >
              Vary
            </button>
          </div>
          {value.extra.slice(0, value.count - 1).map((prompt, i) => (
            <TakePrompt
              key={i}
              take={i + 2}
              prompt={prompt}
              onChange={(next) => {
                const extra = [...value.extra];
                extra[i] = next;
                onChange({ ...value, extra });
              }}
            />
          ))}
        </div>
      ) : null}
    </fieldset>
  );
}
