import type { GenerationStatus } from "@/lib/contracts/generation";
import type { GenerationRecord } from "./generation-record";

/**
 * Every status change a generation may make, in one place: the tracker's state machine
 * proposes changes, and the repository refuses in SQL any the table does not allow (two
 * instances, or a late step, can never move a finished generation again).
 */
export const STATUS_CHANGES = {
  queued: ["queued", "processing", "succeeded", "failed"],
  processing: ["processing", "succeeded", "failed"],
  succeeded: [],
  failed: [],
} as const satisfies Record<GenerationStatus, readonly GenerationStatus[]>;

export const canChangeStatus = (from: GenerationStatus, to: GenerationStatus): boolean => (STATUS_CHANGES[from] as readonly GenerationStatus[]).includes(to);

/** The statuses a generation may be in to move to `to`. */
export const statusesBefore = (to: GenerationStatus): GenerationStatus[] =>
  (Object.keys(STATUS_CHANGES) as GenerationStatus[]).filter((from) => canChangeStatus(from, to));

/**
 * The writes a generation accepts after it was created, one kind per change the app makes.
 * `costUsd` is the provider's last word on a task's bill (a decimal string, or null when it
 * finished without one): it settles the generation's entry in the spending ledger.
 */
export type GenerationTransition =
  /** The provider answered the create (or confirmed the task a notification named): submitting → submitted. */
  | { kind: "submitted"; upstreamTaskId: string }
  /** The provider refused the create before anything started: submitting → pending, to be sent again or failed. */
  | { kind: "submit_refused" }
  /** A notification named a task while the create was unconfirmed (null: that task was not confirmed). */
  | { kind: "task_reported"; taskId: string | null }
  /** The provider's task moved on: queued/processing and how far. */
  | { kind: "progress"; status: "queued" | "processing"; progress: number | null }
  /** The provider finished: its (expiring) link, kept until the file is stored. */
  | { kind: "result_ready"; resultUrl: string; costUsd: string | null }
  /** The video is in our media store: succeeded, any notice cleared. */
  | { kind: "stored"; resultKey: string; resultBytes: number; completedAt: string }
  | { kind: "failed"; code: string; message: string; completedAt: string; costUsd?: string | null }
  /** The owner cancelled it while it waited in the queue (its create never left): failed as `cancelled`, nothing to pay. */
  | { kind: "cancelled"; message: string; completedAt: string }
  /** Why an unfinished generation waits (storage full, download retried); cleared once it succeeds. */
  | { kind: "notice"; code: string; message: string }
  /** A new share link (a token, working until shareExpiresAt or for good when null), or none (revoked). */
  | { kind: "share"; shareToken: string | null; shareExpiresAt: string | null }
  /** A new lifetime for the current share link. */
  | { kind: "share_expiry"; shareExpiresAt: string | null }
  | { kind: "hide_prompt"; hidePrompt: boolean };

/** The target status of each transition that changes it. */
export const TARGET_STATUS: { readonly [K in GenerationTransition["kind"]]?: GenerationStatus } = {
  result_ready: "processing",
  stored: "succeeded",
  failed: "failed",
  cancelled: "failed",
};

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
  /** When its create last passed the submit gate; null (or absent) while it has not been sent. */
  sentAt?: string | null;
}

/** What the submit gate checks besides the claim (beginSubmit). */
export interface SubmitGate {
  /** Queue: at most this many creates running at once, and no older generation still waiting. */
  maxInFlight?: number;
  /** Budgets: given the whole ledger, whether sending this one now still fits. */
  mayCharge?: (spend: SpendEntry[]) => boolean;
}

export interface TrackerClaim {
  owner: string;
  /** ISO 8601 times: the claim lasts until `until`; claims that ended before `now` may be taken. */
  until: string;
  now: string;
}

export interface GenerationPage {
  items: GenerationRecord[];
  /** Opaque: only the repository that made it can read it. */
  nextCursor: string | null;
}

export interface ListQuery {
  /** A `nextCursor` from an earlier page; anything else is refused with InvalidCursorError. */
  cursor?: string;
  limit: number;
  status?: GenerationStatus;
}

/** A list cursor this repository did not make. */
export class InvalidCursorError extends Error {
  constructor() {
    super("Not a valid cursor.");
    this.name = "InvalidCursorError";
  }
}

/** A set of takes as it starts: its generations come beside it (insertSet). */
export interface NewTakeSet {
  id: string;
  uploadId: string | null;
  idempotencyKey: string | null;
  createdAt: string;
}

/**
 * Storage of generation records, and the only way to write one (so observeWrites hears
 * every write). One implementation (Kysely) serves both SQLite and Postgres; the contract
 * tests run it on real SQLite files and a real Postgres server. Unit tests may use the
 * in-memory twin (tests/support/fakes), which keeps the same promises.
 */
export interface GenerationRepository {
  /** Inserts; if the idempotency key is taken, returns the existing record instead. */
  insert(record: GenerationRecord): Promise<{ record: GenerationRecord; created: boolean }>;
  /**
   * Inserts a set of takes with its generations (in the order given) all or nothing. A set
   * already holding the idempotency key wins: `created` false, with that set's id and generations.
   */
  insertSet(set: NewTakeSet, records: GenerationRecord[]): Promise<{ setId: string; records: GenerationRecord[]; created: boolean }>;
  findById(id: string): Promise<GenerationRecord | undefined>;
  findByIdempotencyKey(key: string): Promise<GenerationRecord | undefined>;
  findByShareToken(token: string): Promise<GenerationRecord | undefined>;
  findByCallbackSecret(secret: string): Promise<GenerationRecord | undefined>;
  /**
   * Applies one transition as one conditional write. Undefined when the generation does
   * not exist or its state does not allow the transition (see STATUS_CHANGES): nothing changed.
   */
  update(id: string, transition: GenerationTransition): Promise<GenerationRecord | undefined>;
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
   * of a paid create, so two instances can never both send it. With `maxInFlight` (queue) it
   * also waits its turn: only while fewer than `maxInFlight` creates are running and no older
   * generation is still waiting; with `mayCharge` (budgets) only while sending it fits. A
   * generation that passes has its ledger entry marked sent now.
   */
  beginSubmit(id: string, owner: string, gate?: SubmitGate): Promise<GenerationRecord | undefined>;
  /** Every generation ever started (deleted ones too) with its reported cost, for totals and budgets. */
  listSpend(): Promise<SpendEntry[]>;
  delete(id: string): Promise<boolean>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
