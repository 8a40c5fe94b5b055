import { isFinalStatus } from "@/lib/contracts/generation";
import type { GenerationRecord } from "@/lib/generations/generation-record";
import { canChangeStatus, type GenerationTransition } from "@/lib/generations/generation-repository";
import type { TaskSnapshot, UpstreamFailureKind } from "@/lib/upstream/provider";
import { backoffDelay } from "./backoff";
import { failure, notice, UPSTREAM_FAILURE_CODES, upstreamFailure } from "./failure-messages";
import type { ResultFailure } from "./result-failure";

/**
 * The tracker's state machine, as one pure function: given a generation, what this
 * instance remembers about it and what just happened, it says what to write and what to
 * do next. No timers, no I/O, no clock (time comes in `context.now`); the tracker runs
 * the actions it asks for (action-runner.ts, composed in generation-tracker.ts).
 */

/** What the following instance remembers between steps (lost on restart, by design). */
export interface Memory {
  /** Poll (or step) failures in a row. */
  failures: number;
  /** Failed downloads of the result, not reset by polls that work. */
  resultFailures: number;
  /** Attempts to store the result while our storage was full. */
  storageWaits: number;
  /** The result link expired: the next step re-reads the task for a fresh one. */
  wantFreshLink: boolean;
  /** A fresh link was already fetched once; a second expiry is final. */
  linkRefreshed: boolean;
}

export const freshMemory = (): Memory => ({ failures: 0, resultFailures: 0, storageWaits: 0, wantFreshLink: false, linkRefreshed: false });

export interface Context {
  now: number;
  pollIntervalMs: number;
  deadlineMs: number;
  /** Whether the provider was given a callback URL for this generation, so it can name the task of a lost create. */
  callbacks: boolean;
  resultRetry: { maxAttempts: number; maxDelayMs: number };
  /** 0..1, for backoff jitter. */
  random: () => number;
  /** Queue: creates wait their turn for a slot, and look again this often (a finish wakes them sooner); absent, every create is sent at once. */
  queue?: { recheckMs: number };
}

/** A provider call that failed, as the state machine needs to know it. */
export interface CallFailure {
  /** The UpstreamError's kind, or a code of our own (e.g. ECONNRESET) for logs. */
  kind: UpstreamFailureKind | (string & {});
  userMessage: string;
  retryAfterMs?: number;
}

export type Input =
  /** A timer ran out, or someone kicked (new generation, provider notification). */
  | { kind: "wake" }
  /** The generation went away while a step ran (deleted, or a write was refused). */
  | { kind: "gone" }
  /** The task as the provider reports it; `lastLook` when read at the deadline. */
  | { kind: "snapshot"; snapshot: TaskSnapshot; lastLook?: boolean }
  | { kind: "poll_failed"; failure: CallFailure; lastLook?: boolean }
  /** The create was answered and recorded (submit-task.ts wrote `submitted`). */
  | { kind: "submit_created"; snapshot: TaskSnapshot }
  /** Another tracker holds the create's gate. */
  | { kind: "submit_gate_closed" }
  /** Queue: not its turn, or no free slot, or its budget may still free room; nothing was sent and it is still pending. */
  | { kind: "submit_waiting" }
  /** Budgets: billed spend leaves no room for it in this window; nothing was sent. */
  | { kind: "submit_over_budget"; message: string }
  /** Refused before anything started: the record is pending again. */
  | { kind: "submit_refused"; failure: CallFailure }
  /** The create left and its answer was lost: a task may exist. */
  | { kind: "submit_unconfirmed"; failure: CallFailure }
  /** The provider, asked about the task a notification named: its snapshot, or null when it knows no such task. */
  | { kind: "reported_task_checked"; taskId: string; snapshot: TaskSnapshot | null }
  | { kind: "reported_task_check_failed" }
  | { kind: "result_stored"; resultKey: string; resultBytes: number }
  | { kind: "result_failed"; failure: ResultFailure }
  /** Our media store has no room for the result: nothing was downloaded. */
  | { kind: "storage_full" };

export type Action =
  | { kind: "submit" }
  /** Read the task now; `lastLook` at the deadline, before failing. */
  | { kind: "poll"; taskId: string; lastLook: boolean }
  /** Ask the provider whether the task a notification named exists. */
  | { kind: "check_reported_task"; taskId: string }
  | { kind: "store_result"; url: string }
  /** Step again after `delayMs` (or sooner, when kicked). */
  | { kind: "wait"; delayMs: number }
  /** Go on at once with this input, against the record as the change left it. */
  | { kind: "continue"; input: Input }
  /** Stop following the generation (final, gone, or someone else's). */
  | { kind: "finish" };

export interface Decision {
  /** What to write first; when the repository refuses it (deleted, or no longer allowed), the tracker finishes instead of `next`. */
  change?: GenerationTransition;
  next: Action;
  memory: Memory;
  /** What to tell the log. */
  note?: { level: "info" | "warn" | "error"; message: string; details?: Record<string, unknown> };
}

const MAX_BACKOFF_MS = 60_000;
/** A result already paid for gets extra time to be copied before we give up on it. */
export const RESULT_GRACE_MS = 60 * 60_000;

export function decide(record: GenerationRecord, memory: Memory, input: Input, context: Context): Decision {
  const iso = () => new Date(context.now).toISOString();
  const backoff = (attempts: number, capMs = MAX_BACKOFF_MS) => backoffDelay(context.pollIntervalMs, attempts, capMs, context.random);
  const finish = (extra: Partial<Decision> = {}): Decision => ({ next: { kind: "finish" }, memory, ...extra });
  const wait = (delayMs: number, extra: Partial<Decision> = {}): Decision => ({ next: { kind: "wait", delayMs }, memory, ...extra });
  const fail = (
    { code, message }: { code: string; message: string },
    extra: { costUsd?: string | null; memory?: Memory; note?: Decision["note"] } = {},
  ): Decision => ({
    change: { kind: "failed", code, message, completedAt: iso(), ...(extra.costUsd !== undefined ? { costUsd: extra.costUsd } : {}) },
    next: { kind: "finish" },
    memory: extra.memory ?? memory,
    note: extra.note,
  });
  const deadlineFailure = () =>
    fail(
      failure("deadline_exceeded", {
        deadlineMs: context.deadlineMs,
        result: !record.resultUrl ? "none" : memory.storageWaits > 0 ? "storage_full" : "not_saved",
      }),
    );

  if (isFinalStatus(record.status)) return finish();

  switch (input.kind) {
    case "gone":
    case "submit_gate_closed":
      return finish();

    case "wake": {
      // Its own deadline, with a message that says the create went unconfirmed.
      if (record.submitState === "submitting") return awaitConfirmation(record, memory, context, fail);
      // Queue: waiting its turn sends nothing, so the deadline counts from leaving the queue.
      const waitingTurn = context.queue !== undefined && record.submitState === "pending" && !record.startedAt;
      const age = context.now - Date.parse(record.startedAt ?? record.createdAt);
      if (!waitingTurn && age > context.deadlineMs + (record.resultUrl ? RESULT_GRACE_MS : 0)) {
        // Before failing, one last look at the task: polls may have failed while it finished.
        if (!record.resultUrl && record.submitState === "submitted" && record.upstreamTaskId) {
          return { next: { kind: "poll", taskId: record.upstreamTaskId, lastLook: true }, memory };
        }
        return deadlineFailure();
      }
      if (record.submitState === "pending") return { next: { kind: "submit" }, memory };
      // A finished task's result is fetched again from the link we have; the task is re-read only for a fresh link.
      if (record.resultUrl && !memory.wantFreshLink) return { next: { kind: "store_result", url: record.resultUrl }, memory };
      return { next: { kind: "poll", taskId: record.upstreamTaskId ?? "", lastLook: false }, memory };
    }

    case "poll_failed": {
      if (input.lastLook)
        return { ...deadlineFailure(), note: { level: "warn", message: "last poll before the deadline failed", details: { kind: input.failure.kind } } };
      if (input.failure.kind === "not_found") return fail(upstreamFailure("not_found", input.failure));
      const next = { ...memory, failures: memory.failures + 1 };
      return wait(input.failure.retryAfterMs ?? backoff(next.failures), {
        memory: next,
        note: { level: "warn", message: "poll failed; backing off", details: { kind: input.failure.kind, failures: next.failures } },
      });
    }

    case "snapshot":
      if (input.lastLook && !(input.snapshot.state === "failed" || (input.snapshot.state === "succeeded" && input.snapshot.videoUrl))) {
        return deadlineFailure();
      }
      return applySnapshot(record, input.lastLook ? memory : { ...memory, failures: 0 }, input.snapshot, context, fail);

    case "submit_waiting":
      return wait(context.queue?.recheckMs ?? context.pollIntervalMs);

    case "submit_over_budget":
      return fail({ code: "budget_exhausted", message: input.message }, { note: { level: "warn", message: "not sent: budget used up" } });

    case "submit_created":
      return {
        next: { kind: "continue", input: { kind: "snapshot", snapshot: input.snapshot } },
        memory: { ...memory, failures: 0 },
        note: { level: "info", message: "task created", details: { taskId: input.snapshot.taskId } },
      };

    case "submit_refused": {
      if (input.failure.kind === "rate_limited") {
        // Refused before anything started, so sending it again later is safe.
        const next = { ...memory, failures: memory.failures + 1 };
        return wait(input.failure.retryAfterMs ?? backoff(next.failures), { memory: next });
      }
      return fail(upstreamFailureOf(input.failure), { note: { level: "warn", message: "create task refused", details: { kind: input.failure.kind } } });
    }

    case "submit_unconfirmed": {
      const note: Decision["note"] = {
        level: "warn",
        message: "create task unconfirmed; never sent again",
        details: { kind: input.failure.kind, waitingForCallback: context.callbacks },
      };
      // The provider may still name its task in a notification: wait for it (see awaitConfirmation).
      if (context.callbacks) return wait(context.pollIntervalMs, { note });
      return fail(upstreamFailureOf(input.failure, true), { note });
    }

    case "reported_task_checked":
      if (input.snapshot?.taskId === input.taskId) {
        return {
          change: { kind: "submitted", upstreamTaskId: input.taskId },
          next: { kind: "continue", input: { kind: "snapshot", snapshot: input.snapshot } },
          memory: { ...memory, failures: 0 },
          note: { level: "info", message: "task of an unconfirmed create adopted from a callback", details: { taskId: input.taskId } },
        };
      }
      // The provider knows no such task: the notification was wrong (or forged). Keep waiting.
      return { change: { kind: "task_reported", taskId: null }, next: { kind: "continue", input: { kind: "wake" } }, memory };

    case "reported_task_check_failed": {
      const next = { ...memory, failures: memory.failures + 1 };
      return wait(backoff(next.failures), {
        memory: next,
        note: { level: "warn", message: "checking a task named by a callback failed; backing off", details: { failures: next.failures } },
      });
    }

    case "result_stored":
      return {
        change: { kind: "stored", resultKey: input.resultKey, resultBytes: input.resultBytes, completedAt: iso() },
        next: { kind: "finish" },
        memory,
        note: { level: "info", message: "result stored", details: { bytes: input.resultBytes } },
      };

    case "storage_full":
      return waitForSpace(record, memory, backoff);

    case "result_failed":
      return resultFailed(record, memory, input.failure, context, backoff, fail);
  }
}

/** A step threw (store unreachable, portrait unreadable): back off before the next. */
export function afterStepError(memory: Memory, context: Pick<Context, "pollIntervalMs" | "random">): { delayMs: number; memory: Memory } {
  const next = { ...memory, failures: memory.failures + 1 };
  return { delayMs: backoffDelay(context.pollIntervalMs, next.failures, MAX_BACKOFF_MS, context.random), memory: next };
}

type Fail = (failure: { code: string; message: string }, extra?: { costUsd?: string | null; memory?: Memory; note?: Decision["note"] }) => Decision;

const upstreamFailureOf = (call: CallFailure, unconfirmed = false) =>
  isUpstreamKind(call.kind)
    ? upstreamFailure(call.kind, { userMessage: call.userMessage, unconfirmed })
    : upstreamFailure("network", { userMessage: call.userMessage, unconfirmed });

const isUpstreamKind = (kind: string): kind is UpstreamFailureKind => Object.hasOwn(UPSTREAM_FAILURE_CODES, kind);

/**
 * A create that left without an answer is never sent again. With callbacks the provider
 * may still name the task it made: that id is adopted only once the provider confirms it
 * when asked directly. Without callbacks nothing can reveal the task, so the owner is told
 * to check the provider's dashboard.
 */
function awaitConfirmation(record: GenerationRecord, memory: Memory, context: Context, fail: Fail): Decision {
  if (!context.callbacks) return fail(failure("submit_interrupted"));
  if (record.reportedTaskId) return { next: { kind: "check_reported_task", taskId: record.reportedTaskId }, memory };
  const left = Date.parse(record.startedAt ?? record.createdAt) + context.deadlineMs - context.now;
  if (left < 0) return fail(failure("submit_unconfirmed", { deadlineMs: context.deadlineMs }));
  return { next: { kind: "wait", delayMs: Math.min(context.pollIntervalMs, left + 1) }, memory };
}

function applySnapshot(record: GenerationRecord, memory: Memory, snapshot: TaskSnapshot, context: Context, fail: Fail): Decision {
  const note: Decision["note"] = snapshot.recognisedStatus
    ? undefined
    : { level: "warn", message: "unknown provider status; still waiting", details: { providerStatus: snapshot.providerStatus } };
  if (snapshot.state === "failed") {
    const { code, message } = snapshot.error ?? failure("provider_error");
    return fail({ code, message }, { costUsd: snapshot.costUsd ?? record.costUsd });
  }
  if (snapshot.state === "succeeded" && snapshot.videoUrl) {
    return {
      change: { kind: "result_ready", resultUrl: snapshot.videoUrl, costUsd: snapshot.costUsd ?? record.costUsd },
      next: { kind: "store_result", url: snapshot.videoUrl },
      memory: { ...memory, wantFreshLink: false },
      note,
    };
  }
  // Success without a link is not success yet; and a generation never goes back to queued.
  const reported = snapshot.state === "queued" ? "queued" : "processing";
  const status = canChangeStatus(record.status, reported) ? reported : record.status === "queued" ? "queued" : "processing";
  const progress = snapshot.progress ?? record.progress;
  const wait: Action = { kind: "wait", delayMs: context.pollIntervalMs };
  if (status === record.status && progress === record.progress) return { next: wait, memory, note };
  return { change: { kind: "progress", status, progress }, next: wait, memory, note };
}

/** Our storage is full: say so on the generation, back off, and try again until space returns. */
function waitForSpace(record: GenerationRecord, memory: Memory, backoff: (attempts: number) => number): Decision {
  const next = { ...memory, storageWaits: memory.storageWaits + 1 };
  return {
    change: record.errorCode === "storage_full" ? undefined : { kind: "notice", ...notice("storage_full") },
    next: { kind: "wait", delayMs: backoff(next.storageWaits) },
    memory: next,
    note: { level: "error", message: "media storage is full; the result will be saved once space returns", details: { waits: next.storageWaits } },
  };
}

function resultFailed(
  record: GenerationRecord,
  memory: Memory,
  result: ResultFailure,
  context: Context,
  backoff: (attempts: number, capMs?: number) => number,
  fail: Fail,
): Decision {
  switch (result.action) {
    case "fail":
      return fail(result, { note: { level: "warn", message: "result refused", details: { code: result.code } } });
    case "wait_for_space":
      return waitForSpace(record, memory, backoff);
    case "refresh_link":
      if (memory.linkRefreshed) return fail(failure("result_expired"), { note: { level: "warn", message: "fresh result link expired too" } });
      return {
        next: { kind: "wait", delayMs: 0 },
        memory: { ...memory, linkRefreshed: true, wantFreshLink: true },
        note: { level: "info", message: "result link expired; re-reading the task for a fresh one" },
      };
    case "retry": {
      const next = { ...memory, resultFailures: memory.resultFailures + 1 };
      if (next.resultFailures >= context.resultRetry.maxAttempts) {
        return fail(failure("result_download_failed", { attempts: next.resultFailures }), {
          memory: next,
          note: { level: "warn", message: "result download failed; giving up", details: { attempts: next.resultFailures } },
        });
      }
      return {
        change: record.errorCode === "result_download_retrying" ? undefined : { kind: "notice", ...notice("result_download_retrying") },
        next: { kind: "wait", delayMs: backoff(next.resultFailures, context.resultRetry.maxDelayMs) },
        memory: next,
        note: { level: "warn", message: "result download failed; will retry", details: { failures: next.resultFailures } },
      };
    }
  }
}
