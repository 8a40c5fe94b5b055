import { describe, expect, it } from "vitest";
import { tallySpend } from "@/lib/generations/tally-spend";
import { createAdmissionGuard } from "@/lib/limits/admission-guard";

const at = (day: number) => `2026-11-${String(day).padStart(2, "0")}T10:00:00.000Z`;

describe("spending as budgets and totals see it", () => {
  it("keeps reported costs exact and counts each generation that may still be billed at the estimate", () => {
    const entries = [
      { createdAt: at(29), costUsd: "0.28", awaitingCost: false },
      { createdAt: at(30), costUsd: "0.275", awaitingCost: false },
      { createdAt: at(30), costUsd: null, awaitingCost: true },
      { createdAt: at(30), costUsd: null, awaitingCost: true },
      { createdAt: at(30), costUsd: null, awaitingCost: false },
    ];
    expect(tallySpend(entries, Date.parse(at(30)), "0.30")).toEqual({ count: 4, costUsd: "0.275", unbilledCount: 2, estimatedUsd: "0.60" });
    expect(tallySpend(entries, 0, "0.3")).toEqual({ count: 5, costUsd: "0.555", unbilledCount: 2, estimatedUsd: "0.60" });
    expect(tallySpend([], 0, "0.30")).toEqual({ count: 0, costUsd: "0.00", unbilledCount: 0, estimatedUsd: "0.00" });
  });

  it("a budget refuses the create that the estimate for unconfirmed creates would push over", async () => {
    const spend = [1, 2, 3].map(() => ({ createdAt: new Date().toISOString(), costUsd: null, awaitingCost: true }));
    const guard = createAdmissionGuard(
      { perClientPerMinute: 100, globalPerMinute: 100, maxInFlight: 10, maxSpendUsdDay: "1", costEstimateUsd: "0.30" },
      { listUnfinished: async () => [], listSpend: async () => spend },
    );
    await expect(guard.admit("c", async () => "created")).rejects.toMatchObject({ code: "budget_exceeded" });
    spend.pop();
    await expect(guard.admit("c", async () => "created")).resolves.toBe("created");
  });
});
