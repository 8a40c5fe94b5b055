import Big from "big.js";
import { formatUsd } from "@/lib/contracts/money";
import type { QueueStatus } from "@/lib/contracts/takes";
import { ordinal } from "./ordinal";

export interface TakeQuote {
  /** About what the takes will cost, from recent reported costs (or the estimate). */
  totalUsd: string;
  /** Takes the queue still has room for (running slots plus waiting places). */
  roomInQueue: number;
  /** Takes the tightest budget still covers at the estimate; null without budgets. */
  roomInBudget: number | null;
  /** How many of them will wait for a slot rather than start at once. */
  willWait: number;
  /** The place in line the first of those would take; null when none waits. */
  firstPlaceInLine: number | null;
  /** Why the server would refuse the whole set, in words; null when it fits. */
  refusal: string | null;
}

/** What a click on Generate with `count` takes would start, wait for, and cost. */
export function quoteTakes(count: number, status: QueueStatus): TakeQuote {
  const totalUsd = new Big(status.costPerTakeUsd).times(count).toFixed(2);
  const unfinished = status.running + status.waiting;
  const roomInQueue = Math.max(0, status.maxInFlight + status.maxQueued - unfinished);
  const estimate = new Big(status.costEstimateUsd);
  const roomInBudget =
    status.budgetRemainingUsd === null
      ? null
      : estimate.lte(0)
        ? Number.POSITIVE_INFINITY
        : new Big(status.budgetRemainingUsd).div(estimate).round(0, Big.roundDown).toNumber();
  const freeSlots = Math.max(0, status.maxInFlight - unfinished);
  const willWait = Math.max(0, count - freeSlots);
  const unit = count === 1 ? "video" : "take";
  const room = (n: number) => (n === 0 ? `no more ${unit}s` : `only ${n} more ${unit}${n === 1 ? "" : "s"}`);
  let refusal: string | null = null;
  if (roomInBudget !== null && count > roomInBudget) {
    refusal = `The spending limit covers ${room(roomInBudget)} right now.`;
  } else if (count > roomInQueue) {
    refusal = `The queue has room for ${room(roomInQueue)} right now.`;
  }
  const firstPlaceInLine = willWait > 0 ? status.waiting + 1 : null;
  return { totalUsd, roomInQueue, roomInBudget, willWait, firstPlaceInLine, refusal };
}

/** What one Generate click will cost and whether it waits, said before the click: "About $0.28 · will wait for a free slot: 3rd in line". */
export function singleGenerationNote(quote: TakeQuote): string {
  if (quote.refusal) return quote.refusal;
  const when = quote.firstPlaceInLine === null ? "starts at once" : `will wait for a free slot: ${ordinal(quote.firstPlaceInLine)} in line`;
  return `About ${formatUsd(quote.totalUsd)} · ${when}`;
}
