import { UNFINISHED_STATUSES, type GenerationStatus } from "@/lib/contracts/generation";
import type { GenerationRecord } from "./generation-record";
import { TARGET_STATUS, canChangeStatus, statusesBefore, type GenerationTransition } from "./generation-repository";

/** What a record must look like for a transition to apply; every store checks exactly these. */
export interface TransitionPrecondition {
  /** The statuses it may be in (see STATUS_CHANGES); undefined: any. */
  statuses?: GenerationStatus[];
  /** Only while a create is unanswered. */
  submitting?: boolean;
  /** Only while no task id is known. */
  noTaskId?: boolean;
  /** Only while its create has not left (it waits in the queue). */
  pending?: boolean;
}

/**
 * Sharing and the prompt's visibility are the owner's to change at any time; tracker
 * transitions need the status table's consent, and those that keep the status need it unfinished.
 */
export function preconditionOf(transition: GenerationTransition): TransitionPrecondition {
  if (transition.kind === "share" || transition.kind === "share_expiry" || transition.kind === "hide_prompt") return {};
  const target = transition.kind === "progress" ? transition.status : TARGET_STATUS[transition.kind];
  const statuses = target ? statusesBefore(target) : UNFINISHED_STATUSES.filter((status) => canChangeStatus(status, status));
  if (transition.kind === "submitted" || transition.kind === "submit_refused") return { statuses, submitting: true };
  if (transition.kind === "cancelled") return { statuses, pending: true };
  // Only a create still unconfirmed can have its task named.
  if (transition.kind === "task_reported" && transition.taskId !== null) return { statuses, submitting: true, noTaskId: true };
  return { statuses };
}

export function preconditionHolds(record: GenerationRecord, precondition: TransitionPrecondition): boolean {
  return (
    (!precondition.statuses || precondition.statuses.includes(record.status)) &&
    (!precondition.submitting || record.submitState === "submitting") &&
    (!precondition.noTaskId || record.upstreamTaskId === null) &&
    (!precondition.pending || record.submitState === "pending")
  );
}

/** The fields a transition writes. */
export function fieldsWritten(transition: GenerationTransition): Partial<GenerationRecord> {
  switch (transition.kind) {
    case "submitted":
      return { submitState: "submitted", upstreamTaskId: transition.upstreamTaskId, reportedTaskId: null };
    case "submit_refused":
      return { submitState: "pending" };
    case "task_reported":
      return { reportedTaskId: transition.taskId };
    case "progress":
      return { status: transition.status, progress: transition.progress };
    case "result_ready":
      return { status: "processing", progress: 1, costUsd: transition.costUsd, resultUrl: transition.resultUrl };
    case "stored":
      return {
        status: "succeeded",
        progress: 1,
        resultKey: transition.resultKey,
        resultBytes: transition.resultBytes,
        errorCode: null,
        errorMessage: null,
        completedAt: transition.completedAt,
      };
    case "failed":
      return {
        status: "failed",
        errorCode: transition.code,
        errorMessage: transition.message,
        completedAt: transition.completedAt,
        ...(transition.costUsd !== undefined ? { costUsd: transition.costUsd } : {}),
      };
    case "cancelled":
      return { status: "failed", errorCode: "cancelled", errorMessage: transition.message, completedAt: transition.completedAt };
    case "notice":
      return { errorCode: transition.code, errorMessage: transition.message };
    case "share":
      return { shareToken: transition.shareToken, shareExpiresAt: transition.shareExpiresAt };
    case "share_expiry":
      return { shareExpiresAt: transition.shareExpiresAt };
    case "hide_prompt":
      return { hidePrompt: transition.hidePrompt };
  }
}

/** The provider's last word on a task's bill, when the transition carries one: it settles the ledger entry. */
export const reportedCost = (transition: GenerationTransition): string | null | undefined => ("costUsd" in transition ? transition.costUsd : undefined);
