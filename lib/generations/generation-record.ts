import type { GenerationStatus } from "@/lib/contracts/generation";

/** A generation as the app keeps it; storage rows map to and from this shape. */
export interface GenerationRecord {
  id: string;
  shareToken: string | null;
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
  startedAt?: string | null;
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

/**
 * `costUsd` in a patch is the provider's last word on a task's bill (a decimal string, or
 * null when it finished without one): it settles the generation's entry in the spending ledger.
 */
export type GenerationPatch = Partial<Omit<GenerationRecord, "id" | "createdAt" | "callbackSecret" | "uploadId">>;

/** One generation's entry in the spending ledger (kept after the generation is deleted). */
export interface SpendEntry {
  createdAt: string;
  /** As the provider reported it. */
  costUsd: string | null;
  /**
   * The generation may cost money the provider has not reported yet (about to be sent, in
   * flight, or its create unconfirmed): budgets and totals count it at the estimate.
   */
  awaitingCost: boolean;
}

export interface TrackerClaim {
  owner: string;
  /** ISO 8601 times: the claim lasts until `until`; claims that ended before `now` may be taken. */
  until: string;
  now: string;
}

export interface GenerationPage {
  items: GenerationRecord[];
  nextCursor: string | null;
}

export interface ListQuery {
  cursor?: string;
  limit: number;
  status?: GenerationStatus;
}

/** Storage of generation records; swapped for fakes in tests and for Postgres at scale. */
export interface GenerationRepository {
  /** Inserts; if the idempotency key is taken, returns the existing record instead. */
  insert(record: GenerationRecord): Promise<{ record: GenerationRecord; created: boolean }>;
  findById(id: string): Promise<GenerationRecord | undefined>;
  findByIdempotencyKey(key: string): Promise<GenerationRecord | undefined>;
  findByShareToken(token: string): Promise<GenerationRecord | undefined>;
  findByCallbackSecret(secret: string): Promise<GenerationRecord | undefined>;
  update(id: string, patch: GenerationPatch): Promise<GenerationRecord | undefined>;
  list(query: ListQuery): Promise<GenerationPage>;
  listUnfinished(): Promise<GenerationRecord[]>;
  /**
   * Makes `owner` the one tracker following an unfinished generation, when nobody else
   * holds an unexpired claim on it. Returns the record when the claim is `owner`'s.
   */
  claim(id: string, claim: TrackerClaim): Promise<GenerationRecord | undefined>;
  /** Extends every claim `owner` holds on unfinished generations; returns their ids. */
  renewClaims(owner: string, until: string): Promise<string[]>;
  /**
   * pending → submitting, only for the claim's owner and only once: the one gate in front
   * of a paid create, so two instances can never both send it. With `slots` (queue) it also
   * waits its turn: only while fewer than `maxInFlight` creates are running and no older
   * generation is still waiting.
   */
  beginSubmit(id: string, owner: string, slots?: { maxInFlight: number }): Promise<GenerationRecord | undefined>;
  /** Every generation ever started (deleted ones too) with its reported cost, for totals and budgets. */
  listSpend(): Promise<SpendEntry[]>;
  delete(id: string): Promise<boolean>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
