"use client";

import type { AspectPreset } from "@/lib/client/crop-math";

/** The frame shapes as one radio group: arrow keys move between them, as for any radio group. */
export function FramePresetPicker({ presets, value, onChange }: { presets: readonly AspectPreset[]; value: string; onChange: (id: string) => void }) {
  return (
    <fieldset className="flex flex-col gap-2">
      <legend className="mb-2 text-sm font-medium text-neutral-800 dark:text-neutral-200">Frame shape</legend>
      <div className="flex flex-wrap gap-2">
        {presets.map((preset) => (
          <label key={preset.id} className="cursor-pointer">
            <input type="radio" name="aspect" value={preset.id} checked={preset.id === value} onChange={() => onChange(preset.id)} className="peer sr-only" />
            <span className="flex items-center gap-2 rounded-full border border-neutral-300 bg-white px-3 py-1.5 text-sm font-medium text-neutral-700 hover:border-indigo-400 peer-checked:border-indigo-600 peer-checked:bg-indigo-600 peer-checked:text-white peer-focus-visible:outline peer-focus-visible:outline-2 peer-focus-visible:outline-offset-2 peer-focus-visible:outline-indigo-600 dark:border-neutral-700 dark:bg-neutral-900 dark:text-neutral-200 dark:peer-checked:border-indigo-500 dark:peer-checked:bg-indigo-600">
              <ShapeIcon ratio={preset.ratio} />
              {preset.label}
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** A small outline of the shape, so the choices read at a glance. */
function ShapeIcon({ ratio }: { ratio: number }) {
  const box = 14;
  const width = ratio >= 1 ? box : box * ratio;
  const height = ratio >= 1 ? box / ratio : box;
  return (
    <svg aria-hidden width={box} height={box} viewBox={`0 0 ${box} ${box}`} className="shrink-0">
      <rect
        x={(box - width) / 2 + 0.75}
        y={(box - height) / 2 + 0.75}
        width={width - 1.5}
        height={height - 1.5}
        rx="1.5"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.5"
      />
    </svg>
  );
}
