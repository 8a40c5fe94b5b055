import type { Generated, Insertable, Selectable, Updateable } from "kysely";

/**
 * Column types portable between SQLite and Postgres: text timestamps (ISO 8601 UTC,
 * which sort correctly as text) and 0/1 integers for flags.
 */
export interface GenerationsTable {
  id: string;
  share_token: string | null;
  hide_prompt: Generated<number>;
  status: "queued" | "processing" | "succeeded" | "failed";
  mode: "live" | "demo";
  prompt: string;
  prompt_optimizer: number;
  watermark: number;
  input_key: string;
  input_width: number;
  input_height: number;
  submit_state: "pending" | "submitting" | "submitted";
  upstream_task_id: string | null;
  progress: number | null;
  cost_usd: string | null;
  error_code: string | null;
  error_message: string | null;
  result_url: string | null;
  result_key: string | null;
  result_bytes: number | null;
  callback_secret: string;
  idempotency_key: string | null;
  created_at: string;
  updated_at: string;
  completed_at: string | null;
  /** The tracker instance following this generation, and until when its claim holds. */
  claimed_by: string | null;
  claim_expires_at: string | null;
  /** A task id named by a provider notification while the create was unconfirmed; not yet verified. */
  reported_task_id: string | null;
  /** The upload this generation was made from (shared by re-runs and takes). */
  upload_id: string | null;
}

/** A stored input portrait; kept while a generation uses it, swept after expires_at otherwise. */
export interface UploadsTable {
  id: string;
  media_key: string;
  width: number;
  height: number;
  /** Null for inputs stored before uploads were a table of their own. */
  bytes: number | null;
  created_at: string;
  expires_at: string;
}

export interface UsageLedgerTable {
  generation_id: string;
  created_at: string;
  cost_usd: string | null;
  /** 1 while the generation may cost money the provider has not reported: counted at the estimate. */
  awaiting_cost: Generated<number>;
}

/** A sign-in: the sealed cookie carries its id; revoking the row ends it everywhere. */
export interface SessionsTable {
  id: string;
  /** The client key it was opened from (lets that address past a paused sign-in). */
  client: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
}

/** Keys the app makes for itself once and shares between instances (e.g. the cookie-sealing key). */
export interface AppSecretsTable {
  name: string;
  value: string;
}

/**
 * Files made from a stored result (web remux, poster frame, light rendition, loops), one row
 * per (generation, kind, ping_pong): the key that makes each one exactly once.
 */
export interface MediaDerivativesTable {
  generation_id: string;
  kind: "poster" | "web" | "light" | "gif" | "webp";
  ping_pong: number;
  state: "queued" | "running" | "ready" | "failed";
  /** Lower runs first: what a page shows at once before what a visitor asks for. */
  priority: number;
  progress: number | null;
  media_key: string | null;
  bytes: number | null;
  width: number | null;
  height: number | null;
  /** How many times a worker started it (each start is one ffmpeg run). */
  runs: Generated<number>;
  error: string | null;
  claimed_by: string | null;
  lease_until: string | null;
  created_at: string;
  updated_at: string;
}

/** Per-generation media settings of the owner; a missing row means the defaults. */
export interface MediaSettingsTable {
  generation_id: string;
  /** Whether visitors of the share link may make and download loops. */
  share_loops: number;
}

export interface Database {
  media_derivatives: MediaDerivativesTable;
  media_settings: MediaSettingsTable;
  generations: GenerationsTable;
  usage_ledger: UsageLedgerTable;
  uploads: UploadsTable;
  sessions: SessionsTable;
  app_secrets: AppSecretsTable;
}

export type GenerationRow = Selectable<GenerationsTable>;
export type NewGenerationRow = Insertable<GenerationsTable>;
export type GenerationRowUpdate = Updateable<GenerationsTable>;
export type UploadRow = Selectable<UploadsTable>;
