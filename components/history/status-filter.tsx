"use client";

import type { GenerationStatus } from "@/lib/contracts/generation";
import { STATUS_LABEL } from "./format";

const FILTERS: Array<{ value: GenerationStatus | undefined; label: string }> = [
  { value: undefined, label: "All" },
  ...(["succeeded", "processing", "queued", "failed"] as const).map((value) => ({ value, label: STATUS_LABEL[value] })),
];

export function StatusFilter({ value, onChange }: { value: GenerationStatus | undefined; onChange: (value: GenerationStatus | undefined) => void }) {
  return (
    <div role="group" aria-label="Filter by status" className="flex flex-wrap gap-2">
      {FILTERS.map((filter) => {
        const active = filter.value === value;
        return (
          <button
            key={filter.label}
            type="button"
            aria-pressed={active}
            onClick={() => onChange(filter.value)}
            className={`rounded-full px-3 py-1 text-sm font-medium focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 ${
              active
                ? "bg-neutral-900 text-white dark:bg-white dark:text-neutral-900"
                : "bg-neutral-100 text-neutral-700 hover:bg-neutral-200 dark:bg-neutral-800 dark:text-neutral-200 dark:hover:bg-neutral-700"
            }`}
          >
            {filter.label}
          </button>
        );
      })}
    </div>
  );
}
