import "server-only";
import Big from "big.js";
import type { QueueStatus } from "@/lib/contracts/takes";
import type { GenerationView } from "@/lib/contracts/generation";
import { ApiError, notFound } from "@/lib/errors";
import type { GenerationRepository } from "@/lib/generations/generation-repository";
import { sumCosts } from "@/lib/generations/tally-spend";
import { budgetLeft, type BudgetCaps } from "@/lib/generations/budget-windows";
import type { GenerationTracker } from "@/lib/tracker/generation-tracker";
import { queuePlaces, type QueuePlace } from "./queue-estimate";
import type { QueueStore } from "./kysely-queue-store";

export interface QueueServiceDeps extends BudgetCaps {
  store: QueueStore;
  /** Observed (lib/store/observed-repository.ts): a cancel written here reaches watchers by itself. */
  repository: Pick<GenerationRepository, "findById" | "listSpend" | "update">;
  tracker: Pick<GenerationTracker, "forget">;
  maxInFlight: number;
  maxQueued: number;
  /** How long a generation runs when none has finished lately. */
  typicalDurationMs: number;
  now?: () => Date;
}

/** How many recent reported costs the per-take price is averaged from. */
const RECENT_COSTS = 10;

export const CANCELLED_MESSAGE = "Cancelled before it started; nothing was sent to the provider and nothing is charged.";

/** The queue as the API and pages see it: places, estimates, what a new set would cost, cancelling. */
export function createQueueService(deps: QueueServiceDeps) {
  const now = deps.now ?? (() => new Date());

  async function places(): Promise<Map<string, QueuePlace>> {
    const snapshot = await deps.store.snapshot();
    return queuePlaces(snapshot, { maxInFlight: deps.maxInFlight, nowMs: now().getTime(), fallbackDurationMs: deps.typicalDurationMs });
  }

  return {
    places,

    /** Adds their place in the queue to the views of waiting generations (one read, only when one waits). */
    async withPlaces<T extends GenerationView>(views: T[]): Promise<T[]> {
      if (!views.some((view) => view.status === "queued")) return views;
      const found = await places();
      return views.map((view) => {
        const place = view.status === "queued" ? found.get(view.id) : undefined;
        return place ? { ...view, ...place } : view;
      });
    },

    async status(): Promise<QueueStatus> {
      const [snapshot, spend] = await Promise.all([deps.store.snapshot(), deps.repository.listSpend()]);
      const reported = spend
        .filter((entry) => entry.costUsd !== null)
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
        .slice(0, RECENT_COSTS)
        .map((entry) => entry.costUsd as string);
      const costPerTakeUsd = reported.length > 0 ? new Big(sumCosts(reported)).div(reported.length).round(2, Big.roundHalfUp).toFixed(2) : deps.costEstimateUsd;
      return {
        maxInFlight: deps.maxInFlight,
        maxQueued: deps.maxQueued,
        running: snapshot.running,
        waiting: snapshot.waiting.length,
        costPerTakeUsd,
        costIsEstimate: reported.length === 0,
        budgetRemainingUsd: budgetLeft(spend, now(), deps),
        costEstimateUsd: deps.costEstimateUsd,
      };
    },

    /** A waiting generation leaves the queue as failed ("cancelled"); nothing was spent on it. */
    async cancel(id: string): Promise<void> {
      if (await deps.repository.update(id, { kind: "cancelled", message: CANCELLED_MESSAGE, completedAt: now().toISOString() })) {
        deps.tracker.forget(id);
        return;
      }
      if (!(await deps.repository.findById(id))) throw notFound();
      throw new ApiError("not_ready", "Only a generation still waiting in the queue can be cancelled; this one has started or finished.");
    },
  };
}

export type QueueService = ReturnType<typeof createQueueService>;
