import Big from "big.js";
import type { SpendEntry } from "./generation-repository";
import { inWindow, isUnsent, reservationUsd, sumCosts, tallySpend, type SpendTally } from "./tally-spend";

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

export const hasBudget = (caps: BudgetCaps): boolean => Boolean(caps.maxSpendUsdDay || caps.maxSpendUsdMonth);

/** The UTC day and month windows that have a cap, as of `now`. */
export function budgetWindows(now: Date, caps: BudgetCaps): BudgetWindow[] {
  const windows: Array<Omit<BudgetWindow, "cap"> & { cap?: string }> = [
    { cap: caps.maxSpendUsdDay, sinceMs: Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()), label: "today's" },
    { cap: caps.maxSpendUsdMonth, sinceMs: Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1), label: "this month's" },
  ];
  return windows.filter((window): window is BudgetWindow => Boolean(window.cap));
}

/**
 * Each capped window with what it holds: reported costs, and unbilled generations (sent in
 * it, or still to be sent) at the reservation, which is also what one more is assumed to cost.
 */
export function budgetTallies(
  spend: readonly SpendEntry[],
  now: Date,
  caps: BudgetCaps,
): Array<BudgetWindow & { tally: SpendTally; reservation: string; left: Big }> {
  return budgetWindows(now, caps).map((window) => {
    const tally = tallySpend(spend, window.sinceMs, caps.costEstimateUsd);
    const reservation = reservationUsd(spend, window.sinceMs, caps.costEstimateUsd);
    return { ...window, tally, reservation, left: new Big(window.cap).minus(tally.costUsd).minus(tally.estimatedUsd) };
  });
}

export type SendVerdict = { kind: "fits" } | { kind: "wait" } | { kind: "exhausted"; message: string };

/**
 * The submit gate's budget check for one waiting generation, when its turn comes: it fits
 * when what was sent in each window (billed, and running at the reservation) plus its own
 * reservation stays within the cap. Otherwise it waits while running generations may still
 * bill less; once billed spend alone leaves no room, only the next window can: exhausted.
 * Generations still waiting do not count against it (they meet this check in their turn).
 */
export function sendVerdict(spend: readonly SpendEntry[], now: Date, caps: BudgetCaps): SendVerdict {
  let verdict: SendVerdict = { kind: "fits" };
  for (const { cap, sinceMs, label } of budgetWindows(now, caps)) {
    const sent = spend.filter((entry) => !isUnsent(entry) && inWindow(entry, sinceMs));
    const billed = sumCosts(sent.flatMap((entry) => (entry.costUsd ? [entry.costUsd] : [])));
    const running = sent.filter((entry) => entry.awaitingCost && entry.costUsd === null).length;
    const reservation = new Big(reservationUsd(spend, sinceMs, caps.costEstimateUsd));
    if (new Big(billed).plus(reservation).gt(cap)) {
      const message = `Not sent: ${label} spending limit of $${cap} is used up ($${billed} billed; this generation would cost about $${reservation.toFixed()}). Nothing was sent or charged for it.`;
      return { kind: "exhausted", message };
    }
    if (new Big(billed).plus(reservation.times(running + 1)).gt(cap)) verdict = { kind: "wait" };
  }
  return verdict;
}

/** What may still be spent before the tightest window's cap (never below zero), or null with no caps. */
export function budgetLeft(spend: readonly SpendEntry[], now: Date, caps: BudgetCaps): string | null {
  const tallies = budgetTallies(spend, now, caps);
  if (tallies.length === 0) return null;
  const least = tallies.reduce((min, { left }) => (left.lt(min) ? left : min), tallies[0]!.left);
  return (least.lt(0) ? new Big(0) : least).toFixed();
}
