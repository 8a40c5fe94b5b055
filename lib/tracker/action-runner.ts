import "server-only";
import type { GenerationRecord } from "@/lib/generations/generation-record";
import type { GenerationRepository } from "@/lib/generations/generation-repository";
import type { MediaStore } from "@/lib/media/media-store";
import { errorCodeOf } from "@/lib/media/storage-full";
import { UpstreamError, type GenerationProvider, type TaskSnapshot } from "@/lib/upstream/provider";
import type { QueueHooks } from "@/lib/queue/queue-hooks";
import { hasBudget, sendVerdict, type BudgetCaps } from "@/lib/generations/budget-windows";
import type { ResultStore } from "./result-store";
import { submitTask } from "./submit-task";
import type { Action, CallFailure, Input } from "./decide";

/** What the state machine asks for besides writes and waits. */
export type IoAction = Exclude<Action, { kind: "finish" | "wait" | "continue" }>;

/** What happened, as the next input; `record` as the action left it; `details` for the next log line. */
export type Outcome = { record: GenerationRecord; input: Input; details?: Record<string, unknown> };

type Read = { ok: true; snapshot: TaskSnapshot } | { ok: false; failure: CallFailure; error: unknown; details: Record<string, unknown> };

/** Runs the I/O the state machine asks for and turns its result into the state machine's next input. */
export function createActionRunner(deps: {
  repository: GenerationRepository;
  media: MediaStore;
  provider: GenerationProvider;
  instanceId: string;
  callbackUrlFor?: (record: GenerationRecord) => string | undefined;
  results: ResultStore;
  queue?: QueueHooks;
  /** Budgets re-checked when a waiting generation's turn comes (absent or without caps: none). */
  budget?: BudgetCaps;
  now?: () => Date;
}) {
  const now = deps.now ?? (() => new Date());
  const budget = deps.budget && hasBudget(deps.budget) ? deps.budget : undefined;

  async function run(record: GenerationRecord, action: IoAction, declared: { bytes: number }): Promise<Outcome> {
    switch (action.kind) {
      case "submit":
        return submit(record);
      case "poll": {
        const read = await readTask(action.taskId);
        if (read.ok) return { record, input: { kind: "snapshot", snapshot: read.snapshot, lastLook: action.lastLook } };
        return { record, input: { kind: "poll_failed", failure: read.failure, lastLook: action.lastLook }, details: read.details };
      }
      case "check_reported_task": {
        const read = await readTask(action.taskId);
        if (read.ok) return { record, input: { kind: "reported_task_checked", taskId: action.taskId, snapshot: read.snapshot } };
        if (read.failure.kind === "not_found") return { record, input: { kind: "reported_task_checked", taskId: action.taskId, snapshot: null } };
        return { record, input: { kind: "reported_task_check_failed" }, details: { err: read.error } };
      }
      case "store_result": {
        const outcome = await deps.results.store(record.id, action.url, declared);
        if (outcome.kind === "stored") return { record, input: { kind: "result_stored", resultKey: outcome.resultKey, resultBytes: outcome.resultBytes } };
        if (outcome.kind === "no_room") return { record, input: { kind: "storage_full" }, details: { code: "below_free_space_floor" } };
        const details = { err: outcome.error, kind: failureKindOf(outcome.error), code: errorCodeOf(outcome.error) };
        return { record, input: { kind: "result_failed", failure: outcome.failure }, details };
      }
    }
  }

  async function submit(record: GenerationRecord): Promise<Outcome> {
    // Budgets, then the queue: cheap looks first; the gate in submitTask decides for real.
    if (budget) {
      const verdict = sendVerdict(await deps.repository.listSpend(), now(), budget);
      if (verdict.kind === "exhausted") return { record, input: { kind: "submit_over_budget", message: verdict.message } };
      if (verdict.kind === "wait") return { record, input: { kind: "submit_waiting" } };
    }
    if (deps.queue && !(await deps.queue.mayStart(record.id))) return { record, input: { kind: "submit_waiting" } };
    const callbackUrl = deps.callbackUrlFor?.(record);
    const outcome = await submitTask(record, {
      repository: deps.repository,
      media: deps.media,
      provider: deps.provider,
      instanceId: deps.instanceId,
      callbackUrl,
      maxInFlight: deps.queue?.maxInFlight,
      mayCharge: budget && ((spend) => sendVerdict(spend, now(), budget).kind === "fits"),
    });
    switch (outcome.kind) {
      case "waiting":
        return { record, input: { kind: "submit_waiting" } };
      case "gate_closed":
        return { record, input: { kind: "submit_gate_closed" } };
      case "refused":
        return { record, input: { kind: "submit_refused", failure: callFailureOf(outcome.error) }, details: { httpStatus: outcome.error.options.httpStatus } };
      case "unconfirmed":
        return {
          record,
          input: { kind: "submit_unconfirmed", failure: callFailureOf(outcome.error) },
          details: { httpStatus: outcome.error.options.httpStatus, err: outcome.cause },
        };
      case "created":
        return outcome.record ? { record: outcome.record, input: { kind: "submit_created", snapshot: outcome.snapshot } } : { record, input: { kind: "gone" } };
    }
  }

  async function readTask(taskId: string): Promise<Read> {
    try {
      return { ok: true, snapshot: await deps.provider.getTask(taskId) };
    } catch (error) {
      // The provider's own errors say enough in their kind; anything else is logged whole.
      return { ok: false, failure: callFailureOf(error), error, details: error instanceof UpstreamError ? {} : { err: error } };
    }
  }

  return { run };
}

const failureKindOf = (error: unknown) => (error instanceof UpstreamError ? error.kind : (errorCodeOf(error) ?? "unknown"));

function callFailureOf(error: unknown): CallFailure {
  if (error instanceof UpstreamError) return { kind: error.kind, userMessage: error.userMessage, retryAfterMs: error.options.retryAfterMs };
  return { kind: failureKindOf(error), userMessage: "The provider could not be reached." };
}
