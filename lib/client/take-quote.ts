import Big from "big.js";
import type { QueueStatus } from "@/lib/contracts/takes";

export interface TakeQuote {
  /** About what the takes will cost, from recent reported costs (or the estimate). */
  totalUsd: string;
  /** Takes the queue still has room for (running slots plus waiting places). */
  roomInQueue: number;
  /** Takes the tightest budget still covers at the estimate; null without budgets. */
  roomInBudget: number | null;
  /** How many of them will wait for a slot rather than start at once. */
  willWait: number;
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
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  let refusal: string | null = null;
  if (roomInBudget !== null && count > roomInBudget) {
    refusal = `The spending limit covers ${roomInBudget === 0 ? "no more takes" : `only ${plural(roomInBudget, "more take")}`} right now.`;
  } else if (count > roomInQueue) {
    refusal = `The queue has room for ${roomInQueue === 0 ? "no more takes" : `only ${plural(roomInQueue, "more take")}`} right now.`;
  }
  return { totalUsd, roomInQueue, roomInBudget, willWait, refusal };
}
