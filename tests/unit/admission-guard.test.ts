import { describe, expect, it } from "vitest";
import { aGeneration } from "../support/fakes/generation-record";
import { ApiError } from "@/lib/errors";
import { type GenerationRecord } from "@/lib/generations/generation-record";
import type { GenerationRepository } from "@/lib/generations/generation-repository";
import { createAdmissionGuard, type AdmissionLimits } from "@/lib/limits/admission-guard";
import { failUnsent, finish, sendCreate } from "../support/fakes/generation-steps";
import { createInMemoryGenerationRepository } from "../support/fakes/in-memory-generation-repository";

const NOW = new Date("2026-11-20T12:00:00.000Z");
const generous: AdmissionLimits = { perClientPerMinute: 1000, globalPerMinute: 1000, maxInFlight: 1000, costEstimateUsd: "0.30" };

let counter = 0;
function generation(overrides: Partial<GenerationRecord> = {}): GenerationRecord {
  const id = `gen-${String(++counter).padStart(17, "0")}`;
  return aGeneration({ id, createdAt: NOW.toISOString() }, overrides);
}

/** `clock.at` is when the repository sees things happen (a create sent, a cost reported); admission runs at NOW. */
function setup(limits: Partial<AdmissionLimits> = {}, clock = { at: NOW }) {
  const repository = createInMemoryGenerationRepository({ now: () => clock.at });
  const guard = createAdmissionGuard({ ...generous, ...limits }, repository, () => NOW);
  let created = 0;
  /** A create that records a generation, as the service's does. */
  const admit = (client = "client-a", record: GenerationRecord = generation()) =>
    guard.admit(client, async () => {
      created++;
      return (await repository.insert(record)).record;
    });
  return { repository, guard, admit, created: () => created };
}

async function refusal(promise: Promise<unknown>): Promise<{ code: string; status: number; message: string }> {
  const error = await promise.then(
    () => expect.unreachable("admitted"),
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ApiError);
  const { code, status, message } = error as ApiError;
  return { code, status, message };
}

async function settle(repository: GenerationRepository, record: GenerationRecord, costUsd: string) {
  await finish(repository, record.id, { costUsd });
}

describe("the create guard: generations in flight", () => {
  it("admits up to the cap, refuses the next without running its create, and admits again once one finishes", async () => {
    const { repository, admit, created } = setup({ maxInFlight: 2 });
    const first = await admit();
    await admit();
    expect(await refusal(admit())).toMatchObject({
      code: "rate_limited",
      status: 429,
      message: expect.stringMatching(/2 generations are already in progress \(the limit is 2\)/),
    });
    expect(created()).toBe(2);
    await failUnsent(repository, first.id);
    await admit();
    expect(created()).toBe(3);
  });

  it("lets only one of two simultaneous creates take the last place", async () => {
    const { admit, created } = setup({ maxInFlight: 1 });
    const outcomes = await Promise.allSettled([admit("client-a"), admit("client-b")]);
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect(created()).toBe(1);
  });

  it("a create refused for the in-flight cap uses none of the client's per-minute allowance", async () => {
    const { repository, admit } = setup({ maxInFlight: 1, perClientPerMinute: 2 });
    const first = await admit();
    expect(await refusal(admit())).toMatchObject({ code: "rate_limited", message: expect.stringMatching(/already in progress/) });
    expect(await refusal(admit())).toMatchObject({ code: "rate_limited", message: expect.stringMatching(/already in progress/) });
    await settle(repository, first, "0.25");
    const second = await admit();
    await settle(repository, second, "0.25");
    expect(await refusal(admit())).toMatchObject({ code: "rate_limited", message: expect.stringMatching(/You can start 2 generations a minute/) });
  });
});

describe("the create guard: per-minute limits", () => {
  it("counts each client on its own", async () => {
    const { admit, created } = setup({ perClientPerMinute: 2 });
    await admit("client-a");
    await admit("client-a");
    expect(await refusal(admit("client-a"))).toMatchObject({
      code: "rate_limited",
      status: 429,
      message: expect.stringMatching(/You can start 2 generations a minute\. Try again in \d+ seconds?\./),
    });
    await admit("client-b");
    expect(created()).toBe(3);
  });

  it("counts all clients together against the global limit", async () => {
    const { admit, created } = setup({ globalPerMinute: 3 });
    await admit("client-a");
    await admit("client-b");
    await admit("client-c");
    expect(await refusal(admit("client-d"))).toMatchObject({
      code: "rate_limited",
      message: expect.stringMatching(/This server is starting too many generations right now/),
    });
    expect(created()).toBe(3);
  });
});

describe("the create guard: budgets", () => {
  it("counts generations the provider has not billed yet at the estimate, this one included", async () => {
    const { admit, created } = setup({ maxSpendUsdDay: "1.00" });
    // 0.30 awaiting cost each: 0.30 + this 0.30, then 0.60 + 0.30 = 0.90 fit under 1.00; 0.90 + 0.30 does not.
    await admit();
    await admit();
    await admit();
    const refused = await refusal(admit());
    expect(refused).toMatchObject({ code: "budget_exceeded", status: 402 });
    expect(refused.message).toBe(
      "This generation would go over today's spending limit of $1.00 ($0.00 spent, plus about $0.90 for generations not yet billed and $0.30 for this one).",
    );
    expect(created()).toBe(3);
  });

  it("counts reported costs exactly, and a generation that failed before it was sent not at all", async () => {
    const { repository, admit } = setup({ maxSpendUsdDay: "1.00" });
    const billed = await admit();
    await settle(repository, billed, "0.45");
    const unsent = await admit();
    await failUnsent(repository, unsent.id);
    // The provider billed more than the estimate: the rest of the day reserves its $0.45.
    // 0.45 billed + 0.45 for this one = 0.90: admitted; then 0.45 + 0.45 awaiting + 0.45 = 1.35: refused.
    await admit();
    expect(await refusal(admit())).toMatchObject({
      code: "budget_exceeded",
      message: expect.stringMatching(/\(\$0\.45 spent, plus about \$0\.45 for generations not yet billed and \$0\.45 for this one\)/),
    });
  });

  it("keeps counting a generation that was deleted after its create was sent", async () => {
    const { repository, admit } = setup({ maxSpendUsdDay: "0.50" });
    const sent = await admit();
    await sendCreate(repository, sent.id);
    await repository.delete(sent.id);
    expect(await refusal(admit())).toMatchObject({ code: "budget_exceeded" });
    const { admit: admitFresh, repository: fresh } = setup({ maxSpendUsdDay: "0.50" });
    const unsent = await admitFresh();
    await fresh.delete(unsent.id);
    await admitFresh();
  });

  it("the day budget counts only today (UTC), the month budget the whole month", async () => {
    const yesterday = new Date(NOW.getTime() - 24 * 3600_000);
    const lastMonth = new Date("2026-10-31T23:59:59.000Z");
    /** Generations made and sent at `at`, each billed `costUsd`. */
    const spent = async (repository: GenerationRepository, clock: { at: Date }, at: Date, costs: string[]) => {
      clock.at = at;
      for (const cost of costs) await settle(repository, (await repository.insert(generation({ createdAt: at.toISOString() }))).record, cost);
      clock.at = NOW;
    };
    const dayClock = { at: NOW };
    const day = setup({ maxSpendUsdDay: "0.50" }, dayClock);
    await spent(day.repository, dayClock, yesterday, ["5.00"]);
    await day.admit();
    expect(await refusal(day.admit())).toMatchObject({ code: "budget_exceeded", message: expect.stringMatching(/today's spending limit of \$0\.50/) });

    const monthClock = { at: NOW };
    const month = setup({ maxSpendUsdMonth: "6.00" }, monthClock);
    await spent(month.repository, monthClock, lastMonth, ["50.00"]);
    // 20 × $0.29 (under the estimate, which stays the reservation).
    await spent(
      month.repository,
      monthClock,
      yesterday,
      Array.from({ length: 20 }, () => "0.29"),
    );
    expect(await refusal(month.admit())).toMatchObject({
      code: "budget_exceeded",
      message: expect.stringMatching(
        /this month's spending limit of \$6\.00 \(\$5\.80 spent, plus about \$0\.00 for generations not yet billed and \$0\.30 for this one\)/,
      ),
    });
    const roomierClock = { at: NOW };
    const roomier = setup({ maxSpendUsdMonth: "6.00" }, roomierClock);
    await spent(
      roomier.repository,
      roomierClock,
      yesterday,
      Array.from({ length: 20 }, () => "0.285"),
    );
    await roomier.admit();
  });

  it("the refused create is not run and leaves nothing behind", async () => {
    const { repository, admit, created } = setup({ maxSpendUsdDay: "0.20" });
    await refusal(admit());
    expect(created()).toBe(0);
    expect(await repository.listSpend()).toEqual([]);
  });
});

describe("the create guard's precheck (before an image is read or decoded)", () => {
  it("refuses what admit would refuse, and counts nothing itself", async () => {
    const { guard, admit } = setup({ perClientPerMinute: 2, maxInFlight: 1000 });
    // Checking many times uses none of the client's two creates a minute.
    for (let i = 0; i < 5; i++) await guard.precheck("client-a");
    await admit();
    await guard.precheck("client-a");
    await admit();
    expect(await refusal(guard.precheck("client-a"))).toMatchObject({ code: "rate_limited", message: expect.stringMatching(/2 generations a minute/) });
    // Another client still has its own allowance.
    await guard.precheck("client-b");
  });

  it("refuses when the in-flight cap is reached", async () => {
    const { guard, admit } = setup({ maxInFlight: 1 });
    await admit();
    expect(await refusal(guard.precheck("client-b"))).toMatchObject({ code: "rate_limited", status: 429 });
  });
});
