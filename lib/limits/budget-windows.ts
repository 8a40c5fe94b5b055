import Big from "big.js";
import type { SpendEntry } from "@/lib/generations/generation-repository";
import { tallySpend, type SpendTally } from "@/lib/generations/tally-spend";

/** The optional budgets (MAX_SPEND_USD_DAY, MAX_SPEND_USD_MONTH) and what an unbilled generation is assumed to cost. */
export interface BudgetCaps {
  maxSpendUsdDay?: string;
  maxSpendUsdMonth?: string;
  costEstimateUsd: string;
}

export interface BudgetWindow {
  cap: string;
  /** The window's first millisecond (UTC midnight, or the 1st of the month). */
  sinceMs: number;
  /** How messages name it. */
  label: "today's" | "this month's";
}

/** The UTC day and month windows that have a cap, as of `now`. */
export function budgetWindows(now: Date, caps: BudgetCaps): BudgetWindow[] {
  const windows: Array<Omit<BudgetWindow, "cap"> & { cap?: string }> = [
    { cap: caps.maxSpendUsdDay, sinceMs: Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()), label: "today's" },
    { cap: caps.maxSpendUsdMonth, sinceMs: Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1), label: "this month's" },
  ];
  return windows.filter((window): window is BudgetWindow => Boolean(window.cap));
}

/** Each capped window with what it holds: reported costs, and unbilled generations at the estimate. */
export function budgetTallies(spend: readonly SpendEntry[], now: Date, caps: BudgetCaps): Array<BudgetWindow & { tally: SpendTally; left: Big }> {
  return budgetWindows(now, caps).map((window) => {
    const tally = tallySpend(spend, window.sinceMs, caps.costEstimateUsd);
    return { ...window, tally, left: new Big(window.cap).minus(tally.costUsd).minus(tally.estimatedUsd) };
  });
}

/** What may still be spent before the tightest window's cap (never below zero), or null with no caps. */
export function budgetLeft(spend: readonly SpendEntry[], now: Date, caps: BudgetCaps): string | null {
  const tallies = budgetTallies(spend, now, caps);
  if (tallies.length === 0) return null;
  const least = tallies.reduce((min, { left }) => (left.lt(min) ? left : min), tallies[0]!.left);
  return (least.lt(0) ? new Big(0) : least).toFixed();
}
