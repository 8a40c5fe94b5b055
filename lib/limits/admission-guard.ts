import Big from "big.js";
import type { Coordination } from "@/lib/coordination/coordination";
import { createProcessCoordination } from "@/lib/coordination/process-coordination";
import { perMinuteLimit } from "@/lib/limits/per-minute-limit";
import { ApiError } from "@/lib/errors";
import type { GenerationRepository } from "@/lib/generations/generation-repository";
import { queueRefusal } from "@/lib/queue/queue-admission";
import { budgetTallies, hasBudget, type BudgetCaps } from "@/lib/generations/budget-windows";

export interface AdmissionLimits extends BudgetCaps {
  perClientPerMinute: number;
  globalPerMinute: number;
  maxInFlight: number;
  /** Queue: generations that may wait for a slot beyond maxInFlight (0: refuse instead). */
  maxQueued?: number;
}

/** Decides whether a new paid generation may start. */
export interface AdmissionGuard {
  /** `count` generations are admitted together or not at all (a set of takes). */
  admit<T>(clientKey: string, create: () => Promise<T>, count?: number): Promise<T>;
  /**
   * Refuses now what `admit` would refuse, counting nothing: run before costly work (reading
   * and decoding an image) so a create past a limit costs next to nothing. `admit` decides.
   */
  precheck(clientKey: string, count?: number): Promise<void>;
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

  async function checkInFlightAndBudget(count: number) {
    const inFlight = (await repository.listUnfinished()).length;
    // Queue: beyond the running cap, up to maxQueued more may wait their turn.
    const queueProblem = queueRefusal(inFlight, count, limits.maxInFlight, limits.maxQueued ?? 0);
    if (queueProblem) throw new ApiError("rate_limited", queueProblem);
    if (!hasBudget(limits)) return;
    const spend = await repository.listSpend();
    for (const { cap, label, tally, reservation, left } of budgetTallies(spend, now(), limits)) {
      // What the provider billed, the reservation for every generation it may still bill
      // (waiting, in flight, or a create whose answer never came), and for these.
      const reserved = new Big(reservation).times(count);
      if (reserved.gt(left)) {
        const these = count === 1 ? `$${reservation} for this one` : `$${reserved.toFixed()} for these ${count}`;
        throw new ApiError(
          "budget_exceeded",
          `${count === 1 ? "This generation" : "These generations"} would go over ${label} spending limit of $${cap} ($${tally.costUsd} spent, plus about $${tally.estimatedUsd} for generations not yet billed and ${these}).`,
        );
      }
    }
  }

  const perClientMessage = `You can start ${limits.perClientPerMinute} generations a minute.`;
  const globalMessage = "This server is starting too many generations right now.";

  return {
    admit: (clientKey, create, count = 1) =>
      coordination.exclusive("admission", async () => {
        await checkInFlightAndBudget(count);
        await perClient.consume(clientKey, perClientMessage, count);
        await global.consume(GLOBAL_KEY, globalMessage, count);
        return create();
      }),
    async precheck(clientKey, count = 1) {
      await perClient.check(clientKey, perClientMessage, count);
      await global.check(GLOBAL_KEY, globalMessage, count);
      await checkInFlightAndBudget(count);
    },
  };
}
