import "server-only";
import type { GenerationRecord } from "@/lib/generations/generation-record";
import type { GenerationRepository, SubmitGate } from "@/lib/generations/generation-repository";
import type { MediaStore } from "@/lib/media/media-store";
import { UpstreamError, type CreateTaskRequest, type GenerationProvider, type TaskSnapshot } from "@/lib/upstream/provider";

export type SubmitOutcome =
  /** The provider answered with its task; `record` is undefined when the generation was deleted meanwhile. */
  | { kind: "created"; record: GenerationRecord | undefined; snapshot: TaskSnapshot }
  /** Someone else holds the gate (another instance sent it, or is sending it): never send twice. */
  | { kind: "gate_closed" }
  /** Queue: not its turn or no free slot yet; nothing left, the record is still `pending`. */
  | { kind: "waiting" }
  /** Refused before anything started: the record is `pending` again. */
  | { kind: "refused"; error: UpstreamError }
  /** The request left but its answer did not come back: a task may exist. The record stays `submitting`. */
  | { kind: "unconfirmed"; error: UpstreamError; cause?: unknown };

export interface SubmitDeps {
  repository: GenerationRepository;
  media: MediaStore;
  provider: GenerationProvider;
  instanceId: string;
  callbackUrl: string | undefined;
  /** Queue: at most this many creates running at once (the gate checks it). */
  maxInFlight?: number;
  /** Budgets: whether sending it now still fits, given the ledger (the gate checks it). */
  mayCharge?: SubmitGate["mayCharge"];
}

/**
 * Sends a generation's paid create, at most once. Everything that can fail without the
 * provider hearing of it (reading the portrait, building the request) happens first; the
 * one gate marks the record `submitting` right before the request leaves. A crash before
 * the gate leaves it `pending`, to be sent after a restart; after the gate it is never
 * sent again. Errors before the gate are thrown and leave the record untouched.
 */
export async function submitTask(record: GenerationRecord, deps: SubmitDeps): Promise<SubmitOutcome> {
  const image = await deps.media.readBuffer(record.inputKey);
  let gate: "closed" | "passed" | undefined;
  const request: CreateTaskRequest = {
    image: { bytes: image, type: "image/jpeg" },
    prompt: record.prompt,
    promptOptimizer: record.promptOptimizer,
    watermark: record.watermark,
    callbackUrl: deps.callbackUrl,
    beforeSend: async () => {
      const passed = await deps.repository.beginSubmit(record.id, deps.instanceId, { maxInFlight: deps.maxInFlight, mayCharge: deps.mayCharge });
      gate = passed ? "passed" : "closed";
      if (gate === "closed") throw new GateClosed();
    },
  };

  let snapshot: TaskSnapshot;
  try {
    snapshot = await deps.provider.createTask(request);
  } catch (error) {
    if (gate === "closed") return (await stillWaiting(record.id, deps)) ? { kind: "waiting" } : { kind: "gate_closed" };
    // Failed before the gate: nothing left, the record is untouched.
    if (gate === undefined) throw error;
    if (!(error instanceof UpstreamError)) {
      // Past the gate, an error we cannot place may have come after the request left.
      const unknown = new UpstreamError("network", "Sending this generation to the provider failed unexpectedly.", { taskMayExist: true });
      return { kind: "unconfirmed", error: unknown, cause: error };
    }
    if (error.options.taskMayExist) return { kind: "unconfirmed", error };
    await deps.repository.update(record.id, { kind: "submit_refused" });
    return { kind: "refused", error };
  }
  const updated = await deps.repository.update(record.id, { kind: "submitted", upstreamTaskId: snapshot.taskId });
  return { kind: "created", record: updated, snapshot };
}

/** The gate stayed shut only because it was not this generation's turn, or its budget's (still ours, still pending). */
async function stillWaiting(id: string, deps: SubmitDeps): Promise<boolean> {
  if (deps.maxInFlight === undefined && !deps.mayCharge) return false;
  const now = await deps.repository.findById(id);
  return now?.submitState === "pending" && (now.status === "queued" || now.status === "processing");
}

/** The gate was taken: this request must not leave. */
class GateClosed extends Error {
  constructor() {
    super("another tracker holds this generation's create");
    this.name = "GateClosed";
  }
}
