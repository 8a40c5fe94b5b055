import type { GenerationStatus } from "@/lib/contracts/generation";

/** A generation as the app keeps it; storage rows map to and from this shape. */
export interface GenerationRecord {
  id: string;
  shareToken: string | null;
  /** When the share link stops working (ISO 8601 UTC); null: never. An expired link is as good as revoked. */
  shareExpiresAt: string | null;
  hidePrompt: boolean;
  status: GenerationStatus;
  mode: "live" | "demo";
  prompt: string;
  promptOptimizer: boolean;
  watermark: boolean;
  /** The stored portrait the tracker sends upstream (the upload's file). */
  inputKey: string;
  inputWidth: number;
  inputHeight: number;
  /**
   * pending (nothing sent; again pending when the provider refused it) → submitting (the
   * create has left: until its answer comes, the outcome is unknown) → submitted (task id known).
   */
  submitState: "pending" | "submitting" | "submitted";
  upstreamTaskId: string | null;
  /** A task id a provider notification named while the create was unconfirmed; adopted only once read back from the provider. */
  reportedTaskId: string | null;
  progress: number | null;
  costUsd: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  /** The provider's (expiring) link, kept until the file is stored. */
  resultUrl: string | null;
  resultKey: string | null;
  resultBytes: number | null;
  callbackSecret: string;
  idempotencyKey: string | null;
  /** The upload behind inputKey; several generations may share it. */
  uploadId: string | null;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
  /** Queue: when the create passed the submit gate; null while it waits. */
  startedAt: string | null;
}

/** What a new generation is made of; everything else starts empty. */
export type NewGenerationFields = Pick<
  GenerationRecord,
  "id" | "shareToken" | "mode" | "prompt" | "promptOptimizer" | "watermark" | "inputKey" | "inputWidth" | "inputHeight" | "callbackSecret" | "idempotencyKey"
> & { createdAt: string; uploadId?: string | null };

/** A generation as it starts: queued, not yet sent to the provider, nothing measured. */
export function newGenerationRecord(fields: NewGenerationFields): GenerationRecord {
  return {
    ...fields,
    uploadId: fields.uploadId ?? null,
    shareExpiresAt: null,
    hidePrompt: false,
    status: "queued",
    submitState: "pending",
    upstreamTaskId: null,
    reportedTaskId: null,
    progress: null,
    costUsd: null,
    errorCode: null,
    errorMessage: null,
    resultUrl: null,
    resultKey: null,
    resultBytes: null,
    updatedAt: fields.createdAt,
    completedAt: null,
    startedAt: null,
  };
}
