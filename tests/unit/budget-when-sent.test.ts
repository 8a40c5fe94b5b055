import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Kysely } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ApiError } from "@/lib/errors";
import { newGenerationRecord } from "@/lib/generations/generation-record";
import type { GenerationRepository } from "@/lib/generations/generation-repository";
import { newCallbackSecret, newGenerationId, newShareToken } from "@/lib/generations/ids";
import { createAdmissionGuard, type AdmissionLimits } from "@/lib/limits/admission-guard";
import { createKyselyGenerationRepository } from "@/lib/store/kysely-generation-repository";
import { openSqlite } from "@/lib/store/open-sqlite";
import type { Database } from "@/lib/store/schema";
import { createActionRunner } from "@/lib/tracker/action-runner";
import type { ResultStore } from "@/lib/tracker/result-store";
import { decide, freshMemory, type Context } from "@/lib/tracker/decide";
import { createFakeProvider } from "../support/fakes/fake-provider";
import { createInMemoryMediaStore } from "../support/fakes/in-memory-media-store";

const INPUT = "inputs/portrait.jpg";

/**
 * Budgets against a real SQLite store, with the clock in the test's hands: admission
 * (the guard) and the submit gate (the tracker's submit effect) as the server runs them.
 */
describe("budgets count spend when the provider task is created", () => {
  let dir: string;
  let db: Kysely<Database>;
  let clock: Date;
  const now = () => clock;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "portrait-live-budget-sent-"));
    db = await openSqlite(path.join(dir, "store.db"));
  });
  afterEach(async () => {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  function setup(limits: Pick<AdmissionLimits, "maxSpendUsdDay" | "maxSpendUsdMonth">) {
    const caps = { costEstimateUsd: "0.30", ...limits };
    const repository: GenerationRepository = createKyselyGenerationRepository(db, now);
    const guard = createAdmissionGuard({ perClientPerMinute: 100, globalPerMinute: 100, maxInFlight: 10, maxQueued: 10, ...caps }, repository, now);
    const provider = createFakeProvider();
    const media = createInMemoryMediaStore();
    void media.putBuffer(INPUT, Buffer.from("jpeg"));
    const effects = createActionRunner({ repository, media, provider, instanceId: "me", results: {} as ResultStore, budget: caps, now });

    /** Admits `count` generations one by one; returns how many were admitted. */
    async function admit(count: number): Promise<number> {
      let admitted = 0;
      for (let i = 0; i < count; i++) {
        const record = newGenerationRecord({
          id: newGenerationId(),
          shareToken: newShareToken(),
          mode: "live",
          prompt: "smile",
          promptOptimizer: true,
          watermark: false,
          inputKey: INPUT,
          inputWidth: 720,
          inputHeight: 960,
          callbackSecret: newCallbackSecret(),
          idempotencyKey: null,
          // A millisecond apart, so they wait in the order admitted.
          createdAt: new Date(clock.getTime() + i).toISOString(),
        });
        try {
          await guard.admit("client", () => repository.insert(record));
          admitted++;
        } catch (error) {
          if (!(ApiError.is(error) && error.code === "budget_exceeded")) throw error;
        }
      }
      return admitted;
    }

    /** Gives waiting generations their turn at the submit gate, oldest first, until `slots` were sent; what each step said. */
    async function sendWaiting(slots = Infinity) {
      const steps = [];
      const sentBefore = provider.creates.length;
      for (const record of await repository.listUnfinished()) {
        if (record.submitState !== "pending" || provider.creates.length >= sentBefore + slots) continue;
        const claimed = await repository.claim(record.id, { owner: "me", until: "2999-01-01T00:00:00.000Z", now: clock.toISOString() });
        const outcome = await effects.run(claimed!, { kind: "submit" }, { bytes: 0 });
        steps.push({ id: record.id, input: outcome.input.kind, outcome });
      }
      return steps;
    }

    /** The provider bills a sent generation. */
    async function bill(id: string, costUsd: string) {
      await repository.update(id, { kind: "result_ready", resultUrl: "https://cdn.example/video.mp4", costUsd });
    }

    return { repository, provider, admit, sendWaiting, bill };
  }

  it("sends at most what the day's cap allows when generations queued before midnight are sent after it", async () => {
    const { provider, admit, sendWaiting } = setup({ maxSpendUsdDay: "1" });
    clock = new Date("2026-12-07T23:50:00.000Z");
    // Two wait for a slot before midnight (nothing is sent yet)...
    expect(await admit(2)).toBe(2);
    clock = new Date("2026-12-08T00:01:00.000Z");
    // ...and three more are asked for after it: all five would be sent on the 8th.
    await admit(3);
    clock = new Date("2026-12-08T00:05:00.000Z");
    await sendWaiting();
    // $0.30 each against $1 a day: at most 3 tasks on one UTC day.
    expect(provider.creates.length).toBeLessThanOrEqual(3);
    expect(provider.creates.length).toBe(3);
  });

  it("a queued generation waits at the gate while running ones may still free room, and fails as budget_exhausted once billed spend leaves none", async () => {
    const { provider, admit, sendWaiting, bill } = setup({ maxSpendUsdDay: "1" });
    clock = new Date("2026-12-08T10:00:00.000Z");
    expect(await admit(3)).toBe(3);
    const [first] = await sendWaiting(1);
    expect(first!.input).toBe("submit_created");
    await bill(first!.id, "0.45");
    // 0.45 billed + 0.45 (the real figure) for this one fits; the third would need 1.35 with the second running.
    const second = await sendWaiting();
    expect(second.map((step) => step.input)).toEqual(["submit_created", "submit_waiting"]);
    await bill(second[0]!.id, "0.45");
    // 0.90 billed: no running generation can free room for another today.
    const [third] = await sendWaiting();
    expect(third!.input).toBe("submit_over_budget");
    expect(provider.creates).toHaveLength(2);
    const context: Context = {
      now: clock.getTime(),
      pollIntervalMs: 1000,
      deadlineMs: 60_000,
      callbacks: false,
      resultRetry: { maxAttempts: 1, maxDelayMs: 1 },
      random: () => 0,
    };
    const decision = decide(third!.outcome.record, freshMemory(), third!.outcome.input, context);
    expect(decision.change).toMatchObject({ kind: "failed", code: "budget_exhausted", message: expect.stringMatching(/today's spending limit of \$1/) });
  });

  it("reserves the provider's real cost, not the estimate, once it reports more, for the rest of the window", async () => {
    const { repository, provider, admit, sendWaiting, bill } = setup({ maxSpendUsdDay: "1.20" });
    clock = new Date("2026-12-08T10:00:00.000Z");
    // 4 × $0.30 = $1.20: all four fit at the estimate.
    expect(await admit(4)).toBe(4);
    const [first] = await sendWaiting(1);
    await bill(first!.id, "0.50");
    // At the real $0.50: 0.50 billed + 0.50 fits; a third would make 1.50 with the second running.
    const steps = await sendWaiting();
    expect(steps.map((step) => step.input)).toEqual(["submit_created", "submit_waiting", "submit_waiting"]);
    await bill(steps[0]!.id, "0.50");
    await sendWaiting();
    await sendWaiting();
    const billed = (await repository.listSpend()).reduce((sum, entry) => sum + Number(entry.costUsd ?? 0), 0);
    expect(billed).toBeLessThanOrEqual(1.2);
    expect(provider.creates).toHaveLength(2);
    // Admission reserves at the real figure too: $1.00 billed leaves no room for another $0.50.
    await expect(admit(1)).resolves.toBe(0);
  });
});
