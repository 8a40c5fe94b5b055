"use client";

import { useQuery } from "@tanstack/react-query";
import { generationsApi } from "@/lib/client/generations-api";
import { formatUsd } from "@/lib/contracts/money";

/** Generations and money spent (reported, plus an estimate for what is not billed yet): today, this month, all time. */
export function TotalsBar() {
  const totals = useQuery({ queryKey: ["generations", "totals"], queryFn: () => generationsApi.totals() });
  const periods = [
    ["Today", totals.data?.today],
    ["This month", totals.data?.month],
    ["All time", totals.data?.allTime],
  ] as const;
  return (
    <dl className="grid grid-cols-3 gap-3" aria-busy={totals.isPending} data-testid="totals">
      {periods.map(([label, spend]) => (
        <div key={label} className="rounded-xl border border-neutral-200 bg-white p-3 dark:border-neutral-800 dark:bg-neutral-900">
          <dt className="text-xs font-medium uppercase tracking-wide text-neutral-500 dark:text-neutral-400">{label}</dt>
          <dd
            className="mt-1 text-lg font-semibold tabular-nums text-neutral-900 dark:text-neutral-50"
            data-testid={`totals-${label.toLowerCase().replace(/ /g, "-")}`}
          >
            {spend ? (
              <>
                <span data-testid="total-cost">{formatUsd(spend.costUsd)}</span>
                {spend.unbilledCount > 0 && (
                  // Money may already be spent on these; the budgets count them at this estimate too.
                  <span className="block text-sm font-normal text-amber-700 dark:text-amber-400" data-testid="total-estimate">
                    + about {formatUsd(spend.estimatedUsd)} for {spend.unbilledCount} not yet billed
                  </span>
                )}
                <span className="block text-sm font-normal text-neutral-600 dark:text-neutral-400">
                  {spend.count} {spend.count === 1 ? "generation" : "generations"}
                </span>
              </>
            ) : (
              "—"
            )}
          </dd>
        </div>
      ))}
    </dl>
  );
}
