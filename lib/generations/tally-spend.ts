import Big from "big.js";
import type { SpendEntry } from "./generation-repository";

export interface SpendTally {
  count: number;
  /** Exactly what the provider reported. */
  costUsd: string;
  /** Generations that may cost money the provider has not reported yet. */
  unbilledCount: number;
  /** Those generations at the reservation each (reservationUsd). */
  estimatedUsd: string;
}

/** Not billed yet and its create has not left: it will be charged when it is sent, so in whichever window is current. */
export const isUnsent = (entry: SpendEntry): boolean => entry.awaitingCost && entry.costUsd === null && !entry.sentAt;

/**
 * Whether an entry counts in the window starting at `sinceMs`: by when its create was sent
 * (the day the provider task was made); one not sent yet counts in the current window;
 * entries from before sends were recorded, by when they were made.
 */
export function inWindow(entry: SpendEntry, sinceMs: number): boolean {
  if (isUnsent(entry)) return true;
  return Date.parse(entry.sentAt ?? entry.createdAt) >= sinceMs;
}

/**
 * What an unbilled generation is assumed to cost in a window: the estimate, or the highest
 * cost the provider reported in the window when that is more (the real figure, for the rest of the window).
 */
export function reservationUsd(entries: readonly SpendEntry[], sinceMs: number, costEstimateUsd: string): string {
  let highest = new Big(costEstimateUsd);
  for (const entry of entries) if (entry.costUsd && inWindow(entry, sinceMs) && highest.lt(entry.costUsd)) highest = new Big(entry.costUsd);
  return highest.eq(costEstimateUsd) ? costEstimateUsd : highest.toFixed();
}

/**
 * Spending since a moment, as budgets and totals see it: the provider's reported costs
 * plus a reservation for each generation it may still bill, kept apart so neither hides
 * the other.
 */
export function tallySpend(entries: readonly SpendEntry[], sinceMs: number, costEstimateUsd: string): SpendTally {
  const counted = entries.filter((entry) => inWindow(entry, sinceMs));
  const unbilled = counted.filter((entry) => entry.awaitingCost && entry.costUsd === null);
  const reservation = reservationUsd(entries, sinceMs, costEstimateUsd);
  return {
    count: counted.length,
    costUsd: sumCosts(counted.flatMap((entry) => (entry.costUsd ? [entry.costUsd] : []))),
    unbilledCount: unbilled.length,
    estimatedUsd: sumCosts(unbilled.map(() => reservation)),
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
