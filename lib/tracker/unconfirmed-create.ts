import type { GenerationRecord, GenerationRepository } from "@/lib/generations/generation-record";
import { UpstreamError, type GenerationProvider, type TaskSnapshot } from "@/lib/upstream/provider";

export type Confirmation =
  /** The task a notification named exists at the provider: the generation now follows it. */
  | { kind: "adopted"; record: GenerationRecord | undefined; snapshot: TaskSnapshot }
  /** Nothing to adopt yet: look again after `delayMs` (or when a notification kicks). */
  | { kind: "wait"; delayMs: number }
  /** The provider could not be asked about the named task: try again with backoff. */
  | { kind: "retry"; error: unknown }
  | { kind: "give_up"; code: string; message: string };

export interface ConfirmDeps {
  repository: GenerationRepository;
  provider: GenerationProvider;
  /** Whether the provider was given a callback URL, so it can tell us about the task. */
  callbacks: boolean;
  deadlineMs: number;
  pollIntervalMs: number;
  now: number;
}

/**
 * A generation whose create left but whose answer never came (timeout, lost connection,
 * or a crash while it was in flight). It is never sent again. With callbacks the
 * provider may still name the task it made: that id is adopted only once the provider
 * confirms it when asked directly. Without callbacks nothing can reveal the task, so the
 * owner is told to check the provider's dashboard.
 */
export async function confirmCreate(record: GenerationRecord, deps: ConfirmDeps): Promise<Confirmation> {
  if (!deps.callbacks) {
    return {
      kind: "give_up",
      code: "submit_interrupted",
      message: "The server restarted while sending this generation to the provider. Check your provider dashboard before retrying.",
    };
  }

  const candidate = record.reportedTaskId;
  if (candidate) {
    let snapshot: TaskSnapshot | undefined;
    try {
      snapshot = await deps.provider.getTask(candidate);
    } catch (error) {
      if (!(error instanceof UpstreamError && error.kind === "not_found")) return { kind: "retry", error };
    }
    if (snapshot?.taskId === candidate) {
      const adopted = await deps.repository.update(record.id, { submitState: "submitted", upstreamTaskId: candidate, reportedTaskId: null });
      return { kind: "adopted", record: adopted, snapshot };
    }
    // The provider knows no such task: the notification was wrong (or forged). Keep waiting.
    await deps.repository.update(record.id, { reportedTaskId: null });
  }

  // Queue: the deadline counts from when the create left the queue.
  const left = Date.parse(record.startedAt ?? record.createdAt) + deps.deadlineMs - deps.now;
  if (left < 0) {
    const minutes = Math.max(1, Math.round(deps.deadlineMs / 60_000));
    return {
      kind: "give_up",
      code: "submit_unconfirmed",
      message: `The provider never confirmed this generation: its answer was lost and no notification named the task within ${minutes} minute${minutes === 1 ? "" : "s"}. It was not sent again, so you are not charged twice; check your provider dashboard before retrying.`,
    };
  }
  return { kind: "wait", delayMs: Math.min(deps.pollIntervalMs, left + 1) };
}
