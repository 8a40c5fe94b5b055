import type { Generated, Insertable, Selectable, Updateable } from "kysely";
import type { DerivativeKind, DerivativeState } from "@/lib/contracts/derived-media";
import type { GenerationRecord } from "@/lib/generations/generation-record";
import type { SessionRecord } from "@/lib/sessions/session-record";
import type { UploadRecord } from "@/lib/uploads/upload-record";

/** `costUsd` → `cost_usd`. */
export type SnakeCase<S extends string> = S extends `${infer Head}${infer Tail}`
  ? `${Head extends Lowercase<Head> ? Head : `_${Lowercase<Head>}`}${SnakeCase<Tail>}`
  : S;

/**
 * Column types portable between SQLite and Postgres: text timestamps (ISO 8601 UTC,
 * which sort correctly as text) and 0/1 integers for flags.
 */
type Column<T> = T extends boolean ? number : T;

/** A record's fields as columns: snake_case names, flags as integers. */
export type RowOf<R> = { [K in keyof R & string as SnakeCase<K>]: Column<R[K]> };

export interface GenerationsTable extends Omit<RowOf<GenerationRecord>, "hide_prompt"> {
  hide_prompt: Generated<number>;
  /** The tracker instance following this generation, and until when its claim holds. */
  claimed_by: string | null;
  claim_expires_at: string | null;
}
export type GenerationRow = Selectable<GenerationsTable>;
export type NewGenerationRow = Insertable<GenerationsTable>;
export type GenerationRowUpdate = Updateable<GenerationsTable>;

/** A stored input portrait; kept while a generation uses it, swept after expires_at otherwise. */
export type UploadsTable = RowOf<UploadRecord>;
export type UploadRow = Selectable<UploadsTable>;

export interface UsageLedgerTable {
  generation_id: string;
  created_at: string;
  cost_usd: string | null;
  /** 1 while the generation may cost money the provider has not reported: counted at the estimate. */
  awaiting_cost: Generated<number>;
  /** When its create last passed the submit gate (the provider task's day); null while it has not. */
  sent_at: string | null;
}
export type LedgerRow = Selectable<UsageLedgerTable>;

/** A sign-in: the sealed cookie carries its id; revoking the row ends it everywhere. */
export type SessionsTable = RowOf<SessionRecord>;
export type SessionRow = Selectable<SessionsTable>;

/** Keys the app makes for itself once and shares between instances (e.g. the cookie-sealing key). */
export interface AppSecretsTable {
  name: string;
  value: string;
}
export type AppSecretRow = Selectable<AppSecretsTable>;

/** Several takes (generations) from one upload, compared side by side. */
export interface TakeSetsTable {
  id: string;
  upload_id: string | null;
  /** The take shown first and shared; null until the owner picks one. */
  favourite_id: string | null;
  idempotency_key: string | null;
  created_at: string;
}
export type TakeSetRow = Selectable<TakeSetsTable>;

export interface TakeSetMembersTable {
  generation_id: string;
  set_id: string;
  position: number;
}
export type TakeSetMemberRow = Selectable<TakeSetMembersTable>;

/**
 * Files made from a stored result (web remux, poster frame, light rendition, loops), one row
 * per (generation, kind, ping_pong): the key that makes each one exactly once.
 */
export interface MediaDerivativesTable {
  generation_id: string;
  kind: DerivativeKind;
  ping_pong: number;
  state: DerivativeState;
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
export type DerivativeRow = Selectable<MediaDerivativesTable>;

/** Per-generation media settings of the owner; a missing row means the defaults. */
export interface MediaSettingsTable {
  generation_id: string;
  /** Whether visitors of the share link may make and download loops. */
  share_loops: number;
}
export type MediaSettingsRow = Selectable<MediaSettingsTable>;

export interface Database {
  media_derivatives: MediaDerivativesTable;
  media_settings: MediaSettingsTable;
  generations: GenerationsTable;
  usage_ledger: UsageLedgerTable;
  uploads: UploadsTable;
  sessions: SessionsTable;
  app_secrets: AppSecretsTable;
  take_sets: TakeSetsTable;
  take_set_members: TakeSetMembersTable;
}
