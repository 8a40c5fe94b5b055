import Big from "big.js";
import type { Coordination } from "@/lib/coordination/coordination";
import { createProcessCoordination } from "@/lib/coordination/process-coordination";
import { perMinuteLimit } from "@/lib/limits/per-minute-limit";
import { ApiError } from "@/lib/errors";
import type { GenerationRepository } from "@/lib/generations/generation-repository";
import { tallySpend } from "@/lib/generations/tally-spend";

export interface AdmissionLimits {
  perClientPerMinute: number;
  globalPerMinute: number;
  maxInFlight: number;
  maxSpendUsdDay?: string;
  maxSpendUsdMonth?: string;
  costEstimateUsd: string;
}

/** Decides whether a new paid generation may start. */
export interface AdmissionGuard {
  admit<T>(clientKey: string, create: () => Promise<T>): Promise<T>;
}

const GLOBAL_KEY = "all-clients";

/**
 * Rate limits per client and overall, a cap on generations in flight and optional
 * day/month budgets. Checks and the insert run under one lock held across every instance
 * sharing the store, so two simultaneous requests cannot both take the last place.
 */
export function createAdmissionGuard(
  limits: AdmissionLimits,
  repository: Pick<GenerationRepository, "listUnfinished" | "listSpend">,
  now: () => Date = () => new Date(),
  coordination: Coordination = createProcessCoordination(),
): AdmissionGuard {
  const perClient = perMinuteLimit(coordination, "create-client", limits.perClientPerMinute);
  const global = perMinuteLimit(coordination, "create-all", limits.globalPerMinute);

  async function checkInFlightAndBudget() {
    const inFlight = (await repository.listUnfinished()).length;
    if (inFlight >= limits.maxInFlight) {
      throw new ApiError(
        "rate_limited",
        `${inFlight} generations are already in progress (the limit is ${limits.maxInFlight}). Please wait for one to finish.`,
      );
    }
    if (!limits.maxSpendUsdDay && !limits.maxSpendUsdMonth) return;
    const spend = await repository.listSpend();
    const today = now();
    const budgets = [
      { cap: limits.maxSpendUsdDay, since: Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()), label: "today's" },
      { cap: limits.maxSpendUsdMonth, since: Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), 1), label: "this month's" },
    ];
    for (const { cap, since, label } of budgets) {
      if (!cap) continue;
      const { costUsd: spent, estimatedUsd } = tallySpend(spend, since, limits.costEstimateUsd);
      // What the provider billed, the estimate for every generation it may still bill
      // (in flight, or a create whose answer never came), and the estimate for this one.
      if (new Big(spent).plus(estimatedUsd).plus(limits.costEstimateUsd).gt(cap)) {
        throw new ApiError(
          "budget_exceeded",
          `This generation would go over ${label} spending limit of $${cap} ($${spent} spent, plus about $${estimatedUsd} for generations not yet billed and $${limits.costEstimateUsd} for this one).`,
        );
      }
    }
  }

  return {
    admit: (clientKey, create) =>
      coordination.exclusive("admission", async () => {
        await checkInFlightAndBudget();
        await perClient.consume(clientKey, `You can start ${limits.perClientPerMinute} generations a minute.`);
        await global.consume(GLOBAL_KEY, "This server is starting too many generations right now.");
        return create();
      }),
  };
}
