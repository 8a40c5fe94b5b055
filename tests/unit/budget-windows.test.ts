import { describe, expect, it } from "vitest";
import { budgetWindows, budgetLeft } from "@/lib/generations/budget-windows";

const caps = { maxSpendUsdDay: "1", maxSpendUsdMonth: "5", costEstimateUsd: "0.30" };
const billed = (at: string, costUsd = "0.40") => ({ createdAt: at, costUsd, awaitingCost: false });

describe("the day and month budget windows (UTC)", () => {
  it("starts the day at UTC midnight and the month on the 1st, up to the last millisecond before", () => {
    const starts = (now: string) => budgetWindows(new Date(now), caps).map((window) => [window.label, new Date(window.sinceMs).toISOString()]);
    expect(starts("2026-12-07T23:59:59.999Z")).toEqual([
      ["today's", "2026-12-07T00:00:00.000Z"],
      ["this month's", "2026-12-01T00:00:00.000Z"],
    ]);
    expect(starts("2026-12-08T00:00:00.000Z")[0]).toEqual(["today's", "2026-12-08T00:00:00.000Z"]);
    expect(starts("2026-12-31T23:59:59.999Z")[1]).toEqual(["this month's", "2026-12-01T00:00:00.000Z"]);
    expect(starts("2027-01-01T00:00:00.000Z")).toEqual([
      ["today's", "2027-01-01T00:00:00.000Z"],
      ["this month's", "2027-01-01T00:00:00.000Z"],
    ]);
    expect(starts("2028-02-29T12:00:00.000Z")).toEqual([
      ["today's", "2028-02-29T00:00:00.000Z"],
      ["this month's", "2028-02-01T00:00:00.000Z"],
    ]);
  });

  it("has only the windows with a cap", () => {
    expect(budgetWindows(new Date(), { costEstimateUsd: "0.30" })).toEqual([]);
    expect(budgetWindows(new Date(), { maxSpendUsdMonth: "5", costEstimateUsd: "0.30" }).map((window) => window.label)).toEqual(["this month's"]);
  });

  it("counts spend from the window's first millisecond, not the one before", () => {
    const spend = [billed("2026-12-07T23:59:59.999Z"), billed("2026-12-08T00:00:00.000Z")];
    const left = budgetLeft(spend, new Date("2026-12-08T00:00:00.000Z"), caps);
    expect(left).toBe("0.6");
    // A second earlier both were in the same day: 1 - 0.40 (the later one is not yet spent then, but the ledger has it).
    expect(budgetLeft(spend, new Date("2026-12-07T23:59:59.999Z"), caps)).toBe("0.2");
  });

  it("leaves the smallest headroom of the windows, never below zero, and none without caps", () => {
    const spend = Array.from({ length: 12 }, (_, day) => billed(`2026-12-${String(day + 1).padStart(2, "0")}T10:00:00.000Z`));
    // Month: 12 × 0.40 = 4.80 of 5; today: 0.40 of 1.
    expect(budgetLeft(spend, new Date("2026-12-12T12:00:00.000Z"), caps)).toBe("0.2");
    expect(budgetLeft([...spend, billed("2026-12-12T11:00:00.000Z")], new Date("2026-12-12T12:00:00.000Z"), caps)).toBe("0");
    expect(budgetLeft(spend, new Date("2026-12-12T12:00:00.000Z"), { costEstimateUsd: "0.30" })).toBeNull();
  });
});
