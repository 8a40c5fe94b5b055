import Big from "big.js";
import type { SpendEntry } from "./generation-repository";

export interface SpendTally {
  count: number;
  /** Exactly what the provider reported. */
  costUsd: string;
  /** Generations that may cost money the provider has not reported yet. */
  unbilledCount: number;
  /** Those generations at the cost estimate each. */
  estimatedUsd: string;
}

/**
 * Spending since a moment, as budgets and totals see it: the provider's reported costs
 * plus an estimate for each generation it may still bill, kept apart so neither hides
 * the other.
 */
export function tallySpend(entries: readonly SpendEntry[], sinceMs: number, costEstimateUsd: string): SpendTally {
  const inWindow = entries.filter((entry) => Date.parse(entry.createdAt) >= sinceMs);
  const unbilled = inWindow.filter((entry) => entry.awaitingCost && entry.costUsd === null);
  return {
    count: inWindow.length,
    costUsd: sumCosts(inWindow.flatMap((entry) => (entry.costUsd ? [entry.costUsd] : []))),
    unbilledCount: unbilled.length,
    estimatedUsd: sumCosts(unbilled.map(() => costEstimateUsd)),
  };
}

/** Adds the provider's decimal-string costs exactly, keeping the finest precision it reported. */
export function sumCosts(costs: readonly string[]): string {
  let total = new Big(0);
  let decimals = 2;
  for (const cost of costs) {
    total = total.plus(cost);
    decimals = Math.max(decimals, cost.split(".")[1]?.length ?? 0);
  }
  return total.toFixed(decimals);
}
