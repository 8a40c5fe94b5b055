import { describe, expect, it } from "vitest";
import { aGeneration } from "../support/fakes/generation-record";
import { generationStatusSchema, isFinalStatus, type GenerationStatus } from "@/lib/contracts/generation";
import { type GenerationRecord } from "@/lib/generations/generation-record";
import { STATUS_CHANGES, TARGET_STATUS, canChangeStatus, type GenerationTransition } from "@/lib/generations/generation-repository";
import { TRACKER_MESSAGES, UPSTREAM_FAILURE_CODES, failure } from "@/lib/tracker/failure-messages";
import { RESULT_GRACE_MS, afterStepError, decide, freshMemory, type Context, type Input, type Memory } from "@/lib/tracker/decide";
import type { TaskSnapshot, UpstreamFailureKind } from "@/lib/upstream/provider";

const CREATED = Date.parse("2026-11-30T10:00:00.000Z");
const STATUSES = generationStatusSchema.options;

function record(overrides: Partial<GenerationRecord> = {}): GenerationRecord {
  return aGeneration({ id: "gen1", prompt: "p", inputWidth: 600, inputHeight: 800, createdAt: new Date(CREATED).toISOString() }, overrides);
}

/** A submitted task being followed. */
const following = (overrides: Partial<GenerationRecord> = {}) => record({ submitState: "submitted", upstreamTaskId: "t1", status: "processing", ...overrides });

function context(overrides: Partial<Context> = {}): Context {
  return {
    now: CREATED + 1_000,
    pollIntervalMs: 100,
    deadlineMs: 60_000,
    callbacks: false,
    resultRetry: { maxAttempts: 3, maxDelayMs: 10_000 },
    // Jitter at its top: every backoff is its full ceiling.
    random: () => 1,
    ...overrides,
  };
}

function snapshot(state: TaskSnapshot["state"], extra: Partial<TaskSnapshot> = {}): TaskSnapshot {
  return { taskId: "t1", state, progress: null, videoUrl: null, costUsd: null, error: null, providerStatus: state, recognisedStatus: true, ...extra };
}

const call = (kind: UpstreamFailureKind, extra: { retryAfterMs?: number } = {}) => ({ kind, userMessage: `${kind} words.`, ...extra });

/** One input of every kind the state machine takes. */
const EVERY_INPUT: Record<Input["kind"], Input> = {
  wake: { kind: "wake" },
  gone: { kind: "gone" },
  snapshot: { kind: "snapshot", snapshot: snapshot("succeeded", { videoUrl: "https://cdn/x.mp4", costUsd: "0.28", progress: 1 }) },
  poll_failed: { kind: "poll_failed", failure: call("server_error") },
  submit_created: { kind: "submit_created", snapshot: snapshot("queued") },
  submit_gate_closed: { kind: "submit_gate_closed" },
  submit_waiting: { kind: "submit_waiting" },
  submit_over_budget: { kind: "submit_over_budget", message: "Not sent: today's spending limit of $1 is used up." },
  submit_refused: { kind: "submit_refused", failure: call("forbidden") },
  submit_unconfirmed: { kind: "submit_unconfirmed", failure: call("timeout") },
  reported_task_checked: { kind: "reported_task_checked", taskId: "t1", snapshot: snapshot("processing") },
  reported_task_check_failed: { kind: "reported_task_check_failed" },
  result_stored: { kind: "result_stored", resultKey: "videos/gen1.mp4", resultBytes: 1234 },
  result_failed: { kind: "result_failed", failure: { action: "retry" } },
  storage_full: { kind: "storage_full" },
};

const targetOf = (change: GenerationTransition): GenerationStatus | undefined => (change.kind === "progress" ? change.status : TARGET_STATUS[change.kind]);

describe("the status table", () => {
  const allowed: Record<GenerationStatus, GenerationStatus[]> = {
    queued: ["queued", "processing", "succeeded", "failed"],
    processing: ["processing", "succeeded", "failed"],
    succeeded: [],
    failed: [],
  };

  it.each(STATUSES.flatMap((from) => STATUSES.map((to) => [from, to] as const)))("%s → %s", (from, to) => {
    expect(canChangeStatus(from, to)).toBe(allowed[from].includes(to));
  });

  it("lets a final status go nowhere, and says final in one place", () => {
    for (const status of STATUSES) expect(STATUS_CHANGES[status].length === 0).toBe(isFinalStatus(status));
    expect(canChangeStatus("succeeded", "processing")).toBe(false);
    expect(canChangeStatus("failed", "succeeded")).toBe(false);
    expect(canChangeStatus("processing", "queued")).toBe(false);
  });
});

describe("the failure table", () => {
  it("has words for every code, and a code for every kind of provider failure", () => {
    for (const [code, message] of Object.entries(TRACKER_MESSAGES)) {
      const words = (message as (args: Record<string, unknown>) => string)({
        deadlineMs: 60_000,
        result: "none",
        reason: "R.",
        attempts: 3,
        userMessage: "U.",
      });
      expect(words, code).toMatch(/\S\.$/);
    }
    for (const [kind, code] of Object.entries(UPSTREAM_FAILURE_CODES)) {
      expect(code).toBe(`upstream_${kind}`);
      expect(TRACKER_MESSAGES).toHaveProperty(code);
    }
  });
});

describe("decide", () => {
  describe("for every status and every input", () => {
    const cases = STATUSES.flatMap((status) => Object.values(EVERY_INPUT).map((input) => [status, input.kind, input] as const));

    it.each(cases)("%s × %s proposes only changes the status table allows", (status, _kind, input) => {
      const current = following({ status, reportedTaskId: "t1" });
      const decision = decide(current, freshMemory(), input, context({ callbacks: true }));
      if (isFinalStatus(status)) {
        // A finished generation is never written again by the tracker, whatever arrives.
        expect(decision).toEqual({ next: { kind: "finish" }, memory: freshMemory() });
        return;
      }
      const target = decision.change && targetOf(decision.change);
      if (target) expect(canChangeStatus(status, target)).toBe(true);
      expect(["submit", "poll", "check_reported_task", "store_result", "wait", "continue", "finish"]).toContain(decision.next.kind);
    });
  });

  describe("waking up", () => {
    it.each([
      ["pending: send the create", record(), { kind: "submit" }],
      ["submitted: poll the task", following(), { kind: "poll", taskId: "t1", lastLook: false }],
      ["a result link is known: store it", following({ resultUrl: "https://cdn/x.mp4" }), { kind: "store_result", url: "https://cdn/x.mp4" }],
    ] as const)("%s", (_name, current, next) => {
      expect(decide(current, freshMemory(), { kind: "wake" }, context())).toEqual({ next, memory: freshMemory() });
    });

    it("re-reads the task instead of the known link when a fresh link is wanted", () => {
      const memory = { ...freshMemory(), wantFreshLink: true, linkRefreshed: true };
      expect(decide(following({ resultUrl: "https://cdn/x.mp4" }), memory, { kind: "wake" }, context()).next).toEqual({
        kind: "poll",
        taskId: "t1",
        lastLook: false,
      });
    });

    it("finishes a generation that is gone or whose create another tracker holds", () => {
      for (const input of [EVERY_INPUT.gone, EVERY_INPUT.submit_gate_closed]) {
        expect(decide(record(), freshMemory(), input, context())).toMatchObject({ next: { kind: "finish" } });
        expect(decide(record(), freshMemory(), input, context()).change).toBeUndefined();
      }
    });
  });

  describe("snapshots", () => {
    it("records progress only when something changed, then polls again", () => {
      const moving = decide(
        following({ status: "queued", progress: null }),
        freshMemory(),
        { kind: "snapshot", snapshot: snapshot("processing", { progress: 0.4 }) },
        context(),
      );
      expect(moving).toMatchObject({ change: { kind: "progress", status: "processing", progress: 0.4 }, next: { kind: "wait", delayMs: 100 } });
      const same = decide(following({ progress: 0.4 }), freshMemory(), { kind: "snapshot", snapshot: snapshot("processing", { progress: 0.4 }) }, context());
      expect(same.change).toBeUndefined();
      expect(same.next).toEqual({ kind: "wait", delayMs: 100 });
    });

    it("never moves a processing generation back to queued", () => {
      const decision = decide(following({ progress: 0.2 }), freshMemory(), { kind: "snapshot", snapshot: snapshot("queued", { progress: 0.3 }) }, context());
      expect(decision.change).toEqual({ kind: "progress", status: "processing", progress: 0.3 });
    });

    it("keeps waiting on a success without a link", () => {
      const decision = decide(following({ progress: 0.5 }), freshMemory(), { kind: "snapshot", snapshot: snapshot("succeeded", { progress: 0.5 }) }, context());
      expect(decision.change).toBeUndefined();
      expect(decision.next.kind).toBe("wait");
    });

    it("keeps the result link and its cost, then stores the file", () => {
      const memory = { ...freshMemory(), failures: 3, wantFreshLink: true };
      const decision = decide(following(), memory, EVERY_INPUT.snapshot, context());
      expect(decision).toEqual({
        change: { kind: "result_ready", resultUrl: "https://cdn/x.mp4", costUsd: "0.28" },
        next: { kind: "store_result", url: "https://cdn/x.mp4" },
        memory: { ...memory, failures: 0, wantFreshLink: false },
        note: undefined,
      });
    });

    it("fails with the provider's own code and words, settling the cost", () => {
      const failed = snapshot("failed", { error: { code: "10006095", message: "The image was refused." }, costUsd: null });
      expect(decide(following({ costUsd: "0.10" }), freshMemory(), { kind: "snapshot", snapshot: failed }, context()).change).toEqual({
        kind: "failed",
        code: "10006095",
        message: "The image was refused.",
        completedAt: new Date(CREATED + 1_000).toISOString(),
        costUsd: "0.10",
      });
      const wordless = decide(following(), freshMemory(), { kind: "snapshot", snapshot: snapshot("failed") }, context()).change;
      expect(wordless).toMatchObject({ kind: "failed", code: "provider_error", message: "The provider could not generate the video.", costUsd: null });
    });

    it("notes a status it does not know, and keeps waiting", () => {
      const decision = decide(
        following(),
        freshMemory(),
        { kind: "snapshot", snapshot: snapshot("processing", { providerStatus: "thinking", recognisedStatus: false }) },
        context(),
      );
      expect(decision.note).toMatchObject({ level: "warn", details: { providerStatus: "thinking" } });
      expect(decision.next.kind).toBe("wait");
    });
  });

  describe("poll failures", () => {
    it("fails when the provider no longer knows the task", () => {
      expect(decide(following(), freshMemory(), { kind: "poll_failed", failure: call("not_found") }, context()).change).toMatchObject({
        kind: "failed",
        code: "upstream_not_found",
        message: "not_found words.",
      });
    });

    it("backs off, doubling, and honours Retry-After", () => {
      let memory: Memory = freshMemory();
      const delays: number[] = [];
      for (let i = 0; i < 3; i++) {
        const decision = decide(following(), memory, { kind: "poll_failed", failure: call("server_error") }, context());
        expect(decision.change).toBeUndefined();
        memory = decision.memory;
        delays.push((decision.next as { delayMs: number }).delayMs);
      }
      expect(delays).toEqual([200, 400, 800]);
      expect(memory.failures).toBe(3);
      expect(decide(following(), memory, { kind: "poll_failed", failure: call("rate_limited", { retryAfterMs: 7_000 }) }, context()).next).toEqual({
        kind: "wait",
        delayMs: 7_000,
      });
      // A poll that works starts the count again.
      expect(decide(following(), memory, { kind: "snapshot", snapshot: snapshot("processing") }, context()).memory.failures).toBe(0);
    });

    it("backs off after a step that threw", () => {
      expect(afterStepError(freshMemory(), { pollIntervalMs: 100, random: () => 1 })).toEqual({ delayMs: 200, memory: { ...freshMemory(), failures: 1 } });
    });
  });

  describe("the create", () => {
    it("sends it again later only after a 429", () => {
      const decision = decide(record(), freshMemory(), { kind: "submit_refused", failure: call("rate_limited", { retryAfterMs: 10 }) }, context());
      expect(decision).toMatchObject({ next: { kind: "wait", delayMs: 10 }, memory: { failures: 1 } });
      expect(decision.change).toBeUndefined();
    });

    it.each(["unauthorized", "forbidden", "rejected", "bad_response"] as const)("fails a create refused with %s, in the provider module's words", (kind) => {
      expect(decide(record(), freshMemory(), { kind: "submit_refused", failure: call(kind) }, context()).change).toMatchObject({
        kind: "failed",
        code: `upstream_${kind}`,
        message: `${kind} words.`,
      });
    });

    it("never sends an unconfirmed create again: fails it without callbacks, waits for a notification with them", () => {
      const alone = decide(record({ submitState: "submitting" }), freshMemory(), EVERY_INPUT.submit_unconfirmed, context());
      expect(alone.change).toMatchObject({ kind: "failed", code: "upstream_timeout" });
      expect((alone.change as { message: string }).message).toBe(
        `timeout words. ${"The request was not repeated, so you are not charged twice; check your provider dashboard before retrying."}`,
      );
      const waiting = decide(record({ submitState: "submitting" }), freshMemory(), EVERY_INPUT.submit_unconfirmed, context({ callbacks: true }));
      expect(waiting).toMatchObject({ next: { kind: "wait", delayMs: 100 } });
      expect(waiting.change).toBeUndefined();
    });

    it("follows the task a created create names", () => {
      expect(decide(record(), { ...freshMemory(), failures: 2 }, EVERY_INPUT.submit_created, context())).toMatchObject({
        next: { kind: "continue", input: { kind: "snapshot", snapshot: { taskId: "t1" } } },
        memory: { failures: 0 },
      });
    });
  });

  describe("an unconfirmed create (its answer was lost)", () => {
    const unconfirmed = (overrides: Partial<GenerationRecord> = {}) => record({ submitState: "submitting", ...overrides });

    it("fails at once without callbacks: nothing can ever name its task", () => {
      expect(decide(unconfirmed(), freshMemory(), { kind: "wake" }, context()).change).toMatchObject({ kind: "failed", ...failure("submit_interrupted") });
    });

    it("waits for a notification until the deadline, never longer than a poll", () => {
      expect(decide(unconfirmed(), freshMemory(), { kind: "wake" }, context({ callbacks: true })).next).toEqual({ kind: "wait", delayMs: 100 });
      const nearly = context({ callbacks: true, now: CREATED + 60_000 - 30 });
      expect(decide(unconfirmed(), freshMemory(), { kind: "wake" }, nearly).next).toEqual({ kind: "wait", delayMs: 31 });
      const late = decide(unconfirmed(), freshMemory(), { kind: "wake" }, context({ callbacks: true, now: CREATED + 60_001 }));
      expect(late.change).toMatchObject({ kind: "failed", code: "submit_unconfirmed" });
      expect((late.change as { message: string }).message).toContain("within 1 minute.");
    });

    it("checks a task a notification named before adopting it", () => {
      expect(decide(unconfirmed({ reportedTaskId: "task-named" }), freshMemory(), { kind: "wake" }, context({ callbacks: true })).next).toEqual({
        kind: "check_reported_task",
        taskId: "task-named",
      });
    });

    it("adopts the task once the provider confirms it, then applies what the provider said", () => {
      const confirmed = snapshot("processing", { taskId: "task-named", progress: 0.1 });
      const decision = decide(
        unconfirmed({ reportedTaskId: "task-named" }),
        freshMemory(),
        { kind: "reported_task_checked", taskId: "task-named", snapshot: confirmed },
        context({ callbacks: true }),
      );
      expect(decision.change).toEqual({ kind: "submitted", upstreamTaskId: "task-named" });
      expect(decision.next).toEqual({ kind: "continue", input: { kind: "snapshot", snapshot: confirmed } });
    });

    it.each([
      ["the provider knows no such task", null],
      ["the provider answers with another task", snapshot("processing", { taskId: "task-other" })],
    ])("forgets a named task when %s, and keeps waiting", (_name, answer) => {
      const decision = decide(
        unconfirmed({ reportedTaskId: "task-named" }),
        freshMemory(),
        { kind: "reported_task_checked", taskId: "task-named", snapshot: answer },
        context({ callbacks: true }),
      );
      expect(decision.change).toEqual({ kind: "task_reported", taskId: null });
      expect(decision.next).toEqual({ kind: "continue", input: { kind: "wake" } });
    });

    it("backs off when the provider could not be asked", () => {
      expect(decide(unconfirmed({ reportedTaskId: "t" }), freshMemory(), EVERY_INPUT.reported_task_check_failed, context({ callbacks: true }))).toMatchObject({
        next: { kind: "wait", delayMs: 200 },
        memory: { failures: 1 },
      });
    });
  });

  describe("the queue (creates wait their turn for a slot)", () => {
    const queued = context({ queue: { recheckMs: 2_000 }, now: CREATED + 10 * 60_000 });

    it("looks again after the recheck interval while it is not its turn", () => {
      expect(decide(record(), freshMemory(), { kind: "submit_waiting" }, queued)).toEqual({ next: { kind: "wait", delayMs: 2_000 }, memory: freshMemory() });
    });

    it("fails with budget_exhausted, and its message, when billed spend leaves no room for it in the window", () => {
      expect(decide(record(), freshMemory(), EVERY_INPUT.submit_over_budget, queued)).toMatchObject({
        change: { kind: "failed", code: "budget_exhausted", message: "Not sent: today's spending limit of $1 is used up." },
        next: { kind: "finish" },
      });
    });

    it("has no deadline while it waits: it asks to be sent, however long it has waited", () => {
      expect(decide(record(), freshMemory(), { kind: "wake" }, queued).next).toEqual({ kind: "submit" });
      // Without a queue the same age is past the deadline.
      expect(decide(record(), freshMemory(), { kind: "wake" }, { ...queued, queue: undefined }).change).toMatchObject({
        kind: "failed",
        code: "deadline_exceeded",
      });
    });

    it("counts the deadline from when it left the queue", () => {
      const left = new Date(CREATED + 9 * 60_000).toISOString();
      expect(decide(following({ startedAt: left }), freshMemory(), { kind: "wake" }, queued).next).toEqual({ kind: "poll", taskId: "t1", lastLook: false });
      expect(decide(following({ startedAt: left }), freshMemory(), { kind: "wake" }, { ...queued, now: CREATED + 10 * 60_000 + 60_001 }).next).toMatchObject({
        kind: "poll",
        lastLook: true,
      });
    });
  });

  describe("at the deadline", () => {
    const late = context({ now: CREATED + 60_001 });

    it("looks at a submitted task once more before failing", () => {
      expect(decide(following(), freshMemory(), { kind: "wake" }, late)).toEqual({
        next: { kind: "poll", taskId: "t1", lastLook: true },
        memory: freshMemory(),
      });
    });

    it("keeps a result finished meanwhile, or a failure the provider reports", () => {
      expect(
        decide(following(), freshMemory(), { ...(EVERY_INPUT.snapshot as Extract<Input, { kind: "snapshot" }>), lastLook: true }, late).change,
      ).toMatchObject({ kind: "result_ready" });
      expect(decide(following(), freshMemory(), { kind: "snapshot", snapshot: snapshot("failed"), lastLook: true }, late).change).toMatchObject({
        kind: "failed",
        code: "provider_error",
      });
    });

    it.each([
      ["still running", { kind: "snapshot", snapshot: snapshot("processing"), lastLook: true }],
      ["its last poll failed", { kind: "poll_failed", failure: call("server_error"), lastLook: true }],
    ] as const)("fails a task %s, naming the time limit in words", (_name, input) => {
      expect(decide(following(), freshMemory(), input, late).change).toMatchObject({
        kind: "failed",
        code: "deadline_exceeded",
        message: "The provider did not finish the video within 1 minute.",
      });
    });

    it("fails a create never sent in time without looking", () => {
      expect(decide(record(), freshMemory(), { kind: "wake" }, late).change).toMatchObject({ kind: "failed", code: "deadline_exceeded" });
    });

    it("gives a result already paid for an hour more to be saved, then says why it was not", () => {
      const withResult = following({ resultUrl: "https://cdn/x.mp4" });
      expect(decide(withResult, freshMemory(), { kind: "wake" }, late).next).toEqual({ kind: "store_result", url: "https://cdn/x.mp4" });
      const past = context({ now: CREATED + 60_000 + RESULT_GRACE_MS + 1 });
      expect(decide(withResult, freshMemory(), { kind: "wake" }, past).change).toMatchObject({
        code: "deadline_exceeded",
        message: "The video finished at the provider but could not be saved in time.",
      });
      expect(decide(withResult, { ...freshMemory(), storageWaits: 4 }, { kind: "wake" }, past).change).toMatchObject({
        code: "deadline_exceeded",
        message: "The video finished at the provider but could not be saved in time: this server's storage stayed full.",
      });
    });
  });

  describe("storing the result", () => {
    const withResult = following({ resultUrl: "https://cdn/x.mp4", progress: 1 });

    it("marks it succeeded once stored", () => {
      expect(decide(withResult, freshMemory(), EVERY_INPUT.result_stored, context())).toMatchObject({
        change: { kind: "stored", resultKey: "videos/gen1.mp4", resultBytes: 1234, completedAt: new Date(CREATED + 1_000).toISOString() },
        next: { kind: "finish" },
      });
    });

    it("fails at once on a result nothing will fix", () => {
      const refused = { kind: "result_failed", failure: { action: "fail", ...failure("result_too_large") } } as const;
      expect(decide(withResult, freshMemory(), refused, context()).change).toMatchObject({ kind: "failed", code: "result_too_large" });
    });

    it("re-reads the task for a fresh link once when the link expired; a second expiry is final", () => {
      const expired = { kind: "result_failed", failure: { action: "refresh_link" } } as const;
      const first = decide(withResult, freshMemory(), expired, context());
      expect(first).toMatchObject({ next: { kind: "wait", delayMs: 0 }, memory: { wantFreshLink: true, linkRefreshed: true } });
      expect(first.change).toBeUndefined();
      // The re-read brings a fresh link, which is stored next.
      const reread = decide(withResult, first.memory, { kind: "wake" }, context());
      expect(reread.next).toEqual({ kind: "poll", taskId: "t1", lastLook: false });
      const fresh = decide(withResult, first.memory, { kind: "snapshot", snapshot: snapshot("succeeded", { videoUrl: "https://cdn/x.mp4?v=2" }) }, context());
      expect(fresh).toMatchObject({ next: { kind: "store_result", url: "https://cdn/x.mp4?v=2" }, memory: { wantFreshLink: false, linkRefreshed: true } });
      expect(decide(withResult, fresh.memory, expired, context()).change).toMatchObject({ kind: "failed", ...failure("result_expired") });
    });

    it("retries a passing failure with a notice (written once), backing off to a cap, then fails", () => {
      const retry = { kind: "result_failed", failure: { action: "retry" } } as const;
      const first = decide(withResult, freshMemory(), retry, context());
      expect(first.change).toEqual({ kind: "notice", code: "result_download_retrying", message: TRACKER_MESSAGES.result_download_retrying() });
      expect(first.next).toEqual({ kind: "wait", delayMs: 200 });
      const second = decide({ ...withResult, errorCode: "result_download_retrying" }, first.memory, retry, context());
      expect(second.change).toBeUndefined();
      expect(second.next).toEqual({ kind: "wait", delayMs: 400 });
      const capped = decide(withResult, { ...freshMemory(), resultFailures: 1 }, retry, context({ resultRetry: { maxAttempts: 9, maxDelayMs: 300 } }));
      expect(capped.next).toEqual({ kind: "wait", delayMs: 300 });
      expect(decide(withResult, second.memory, retry, context()).change).toMatchObject({
        kind: "failed",
        ...failure("result_download_failed", { attempts: 3 }),
      });
    });

    it.each([
      ["reports no room", EVERY_INPUT.storage_full],
      ["fails to write for lack of space", { kind: "result_failed", failure: { action: "wait_for_space" } } as const],
    ])("waits for space when the store %s: a notice once, longer waits, never a failure before the deadline", (_name, input) => {
      let memory = freshMemory();
      let current = withResult;
      const delays: number[] = [];
      for (let i = 0; i < 12; i++) {
        const decision = decide(current, memory, input, context());
        if (i === 0) expect(decision.change).toEqual({ kind: "notice", code: "storage_full", message: TRACKER_MESSAGES.storage_full() });
        else expect(decision.change).toBeUndefined();
        expect(decision.note?.level).toBe("error");
        current = { ...current, errorCode: "storage_full" };
        memory = decision.memory;
        delays.push((decision.next as { delayMs: number }).delayMs);
      }
      expect(memory).toMatchObject({ storageWaits: 12, resultFailures: 0 });
      expect(delays.slice(0, 4)).toEqual([200, 400, 800, 1600]);
      expect(Math.max(...delays)).toBe(60_000);
    });
  });
});
