import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from "kysely";
import type { Database } from "./schema";

/** Schema history, in order. Written with Kysely's schema builder so it runs on SQLite and Postgres. */
export const migrations: Record<string, Migration> = {
  "2026-11-24-001-generations": {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("generations")
        .addColumn("id", "text", (col) => col.primaryKey())
        .addColumn("share_token", "text", (col) => col.unique())
        .addColumn("hide_prompt", "integer", (col) => col.notNull().defaultTo(0))
        .addColumn("status", "text", (col) => col.notNull())
        .addColumn("mode", "text", (col) => col.notNull())
        .addColumn("prompt", "text", (col) => col.notNull())
        .addColumn("prompt_optimizer", "integer", (col) => col.notNull())
        .addColumn("watermark", "integer", (col) => col.notNull())
        .addColumn("input_key", "text", (col) => col.notNull())
        .addColumn("input_width", "integer", (col) => col.notNull())
        .addColumn("input_height", "integer", (col) => col.notNull())
        .addColumn("submit_state", "text", (col) => col.notNull())
        .addColumn("upstream_task_id", "text")
        .addColumn("progress", "real")
        .addColumn("cost_usd", "text")
        .addColumn("error_code", "text")
        .addColumn("error_message", "text")
        .addColumn("result_url", "text")
        .addColumn("result_key", "text")
        .addColumn("result_bytes", "integer")
        .addColumn("callback_secret", "text", (col) => col.notNull().unique())
        .addColumn("idempotency_key", "text", (col) => col.unique())
        .addColumn("created_at", "text", (col) => col.notNull())
        .addColumn("updated_at", "text", (col) => col.notNull())
        .addColumn("completed_at", "text")
        .execute();
      await db.schema.createIndex("generations_created_idx").on("generations").columns(["created_at", "id"]).execute();
      await db.schema.createIndex("generations_status_idx").on("generations").columns(["status", "created_at"]).execute();
    },
    async down(db: Kysely<unknown>) {
      await sql`drop table generations`.execute(db);
    },
  },
  "2026-11-24-002-usage-ledger": {
    // Money spent stays spent: the ledger keeps each generation's cost after the generation is deleted.
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("usage_ledger")
        .addColumn("generation_id", "text", (col) => col.primaryKey())
        .addColumn("created_at", "text", (col) => col.notNull())
        .addColumn("cost_usd", "text")
        .execute();
      await db.schema.createIndex("usage_ledger_created_idx").on("usage_ledger").column("created_at").execute();
      await sql`insert into usage_ledger (generation_id, created_at, cost_usd) select id, created_at, cost_usd from generations`.execute(db);
    },
    async down(db: Kysely<unknown>) {
      await sql`drop table usage_ledger`.execute(db);
    },
  },
  "2026-11-25-003-tracker-claims": {
    // Several app instances may share one database: each unfinished generation is followed by
    // the one instance holding an unexpired claim on it.
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable("generations").addColumn("claimed_by", "text").execute();
      await db.schema.alterTable("generations").addColumn("claim_expires_at", "text").execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.alterTable("generations").dropColumn("claim_expires_at").execute();
      await db.schema.alterTable("generations").dropColumn("claimed_by").execute();
    },
  },
  "2026-11-30-004-sessions": {
    // Sign-in sessions kept on the server, so signing out (or out everywhere) ends them at once.
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("sessions")
        .addColumn("id", "text", (col) => col.primaryKey())
        .addColumn("client", "text", (col) => col.notNull())
        .addColumn("created_at", "text", (col) => col.notNull())
        .addColumn("expires_at", "text", (col) => col.notNull())
        .addColumn("revoked_at", "text")
        .execute();
      await db.schema.createIndex("sessions_client_idx").on("sessions").columns(["client", "created_at"]).execute();
      await db.schema.createIndex("sessions_expires_idx").on("sessions").column("expires_at").execute();
      // The key that seals session cookies, shared by every instance on this database.
      await db.schema
        .createTable("app_secrets")
        .addColumn("name", "text", (col) => col.primaryKey())
        .addColumn("value", "text", (col) => col.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await sql`drop table app_secrets`.execute(db);
      await sql`drop table sessions`.execute(db);
    },
  },
  "2026-11-30-005-submit-outcome": {
    // A create whose answer never came may still have made (and billed) a task: the ledger
    // counts it at the estimate until the provider reports a cost, and a provider
    // notification may name the task (unverified until read back from the provider).
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable("generations").addColumn("reported_task_id", "text").execute();
      await db.schema
        .alterTable("usage_ledger")
        .addColumn("awaiting_cost", "integer", (col) => col.notNull().defaultTo(0))
        .execute();
      // Live generations still running, or failed while their create was unconfirmed (the
      // failures whose create may have made a task; refusals also stayed 'submitting' before).
      await sql`update usage_ledger set awaiting_cost = 1 where cost_usd is null and generation_id in (
        select id from generations where mode = 'live' and cost_usd is null
          and (status in ('queued', 'processing') or (status = 'failed' and submit_state = 'submitting' and error_code in
            ('upstream_timeout', 'upstream_network', 'upstream_server_error', 'upstream_bad_response', 'submit_interrupted'))))`.execute(db);
    },
    async down(db: Kysely<unknown>) {
      await db.schema.alterTable("usage_ledger").dropColumn("awaiting_cost").execute();
      await db.schema.alterTable("generations").dropColumn("reported_task_id").execute();
    },
  },
  "2026-11-30-007-uploads": {
    // Inputs become their own resource: one upload can back any number of generations. Every
    // existing generation gets an upload of its own (same id, same file), so one rule applies to all.
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("uploads")
        .addColumn("id", "text", (col) => col.primaryKey())
        .addColumn("media_key", "text", (col) => col.notNull())
        .addColumn("width", "integer", (col) => col.notNull())
        .addColumn("height", "integer", (col) => col.notNull())
        .addColumn("bytes", "integer")
        .addColumn("created_at", "text", (col) => col.notNull())
        .addColumn("expires_at", "text", (col) => col.notNull())
        .execute();
      await db.schema.createIndex("uploads_expires_idx").on("uploads").column("expires_at").execute();
      // The foreign key makes the database refuse to drop an upload a generation still uses, even
      // when a sweep and a create race on different instances.
      await db.schema
        .alterTable("generations")
        .addColumn("upload_id", "text", (col) => col.references("uploads.id"))
        .execute();
      await db.schema.createIndex("generations_upload_idx").on("generations").column("upload_id").execute();
      await sql`insert into uploads (id, media_key, width, height, bytes, created_at, expires_at)
        select id, input_key, input_width, input_height, null, created_at, created_at from generations`.execute(db);
      await sql`update generations set upload_id = id`.execute(db);
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropIndex("generations_upload_idx").execute();
      await db.schema.alterTable("generations").dropColumn("upload_id").execute();
      await sql`drop table uploads`.execute(db);
    },
  },
  "2026-11-30-008-takes-and-queue": {
    // Takes: several generations from one upload, compared side by side. Membership lives in a
    // table of its own so a generation row does not change shape. The queue needs an index to
    // find the oldest waiting generation quickly.
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("take_sets")
        .addColumn("id", "text", (col) => col.primaryKey())
        .addColumn("upload_id", "text")
        .addColumn("favourite_id", "text")
        .addColumn("idempotency_key", "text", (col) => col.unique())
        .addColumn("created_at", "text", (col) => col.notNull())
        .execute();
      await db.schema.createIndex("take_sets_created_idx").on("take_sets").column("created_at").execute();
      await db.schema
        .createTable("take_set_members")
        .addColumn("generation_id", "text", (col) => col.primaryKey())
        .addColumn("set_id", "text", (col) => col.notNull())
        .addColumn("position", "integer", (col) => col.notNull())
        .execute();
      await db.schema.createIndex("take_set_members_set_idx").on("take_set_members").columns(["set_id", "position"]).execute();
      // When the create passed the gate (left the queue): the deadline counts from here, not from the wait.
      await db.schema.alterTable("generations").addColumn("started_at", "text").execute();
      await db.schema.createIndex("generations_queue_idx").on("generations").columns(["submit_state", "status", "created_at"]).execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropIndex("generations_queue_idx").execute();
      await db.schema.alterTable("generations").dropColumn("started_at").execute();
      await sql`drop table take_set_members`.execute(db);
      await sql`drop table take_sets`.execute(db);
    },
  },
  "2026-11-30-009-share-expiry": {
    // A share link may expire: past this time it behaves as revoked (null: it never expires).
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable("generations").addColumn("share_expires_at", "text").execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.alterTable("generations").dropColumn("share_expires_at").execute();
    },
  },
  "2026-11-30-011-derived-media": {
    // Derived media (remux, poster frame, light rendition, loops) in a table of their own: the
    // primary key is the once-only guard, the lease lets a restarted or other instance finish a job.
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("media_derivatives")
        .addColumn("generation_id", "text", (col) => col.notNull())
        .addColumn("kind", "text", (col) => col.notNull())
        .addColumn("ping_pong", "integer", (col) => col.notNull())
        .addColumn("state", "text", (col) => col.notNull())
        .addColumn("priority", "integer", (col) => col.notNull())
        .addColumn("progress", "real")
        .addColumn("media_key", "text")
        .addColumn("bytes", "integer")
        .addColumn("width", "integer")
        .addColumn("height", "integer")
        .addColumn("runs", "integer", (col) => col.notNull().defaultTo(0))
        .addColumn("error", "text")
        .addColumn("claimed_by", "text")
        .addColumn("lease_until", "text")
        .addColumn("created_at", "text", (col) => col.notNull())
        .addColumn("updated_at", "text", (col) => col.notNull())
        .addPrimaryKeyConstraint("media_derivatives_pk", ["generation_id", "kind", "ping_pong"])
        .execute();
      await db.schema.createIndex("media_derivatives_state_idx").on("media_derivatives").columns(["state", "priority", "created_at"]).execute();
      await db.schema
        .createTable("media_settings")
        .addColumn("generation_id", "text", (col) => col.primaryKey())
        .addColumn("share_loops", "integer", (col) => col.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await sql`drop table media_settings`.execute(db);
      await sql`drop table media_derivatives`.execute(db);
    },
  },
  "2026-12-07-013-spend-when-sent": {
    // Budgets count a generation in the window its provider task was created in, not the
    // one it was admitted in: a generation queued before midnight and sent after it is the
    // new day's spend.
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable("usage_ledger").addColumn("sent_at", "text").execute();
      // Entries whose create has left (or whose generation is gone) were sent about when they were made.
      await sql`update usage_ledger set sent_at = created_at where generation_id not in (select id from generations where submit_state = 'pending')`.execute(
        db,
      );
    },
    async down(db: Kysely<unknown>) {
      await db.schema.alterTable("usage_ledger").dropColumn("sent_at").execute();
    },
  },
  "2026-12-07-014-frame-kind": {
    // The video's first frame was the "poster" kind; "poster" also named the cropped input
    // and the page's preview. Files keep their stored keys (`media_key`), so nothing moves.
    async up(db: Kysely<unknown>) {
      await sql`update media_derivatives set kind = 'frame' where kind = 'poster'`.execute(db);
    },
    async down(db: Kysely<unknown>) {
      await sql`update media_derivatives set kind = 'poster' where kind = 'frame'`.execute(db);
    },
  },
  "2026-11-30-012-rate-limits": {
    // Counters every instance shares when the store is PostgreSQL (rate-limiter-flexible's
    // layout). Made here, not by the library at run time, so instances never race to create it.
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("rate_limits")
        .addColumn("key", "varchar(255)", (col) => col.primaryKey())
        .addColumn("points", "integer", (col) => col.notNull().defaultTo(0))
        .addColumn("expire", "bigint")
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await sql`drop table rate_limits`.execute(db);
    },
  },
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};

/**
 * Brings a store's schema up to date (Kysely's migrator locks, so concurrent starts are safe).
 * Unordered: 008 shipped after stores had already run 009; each migration
 * touches only its own tables and columns, so a missing earlier one is simply run.
 */
export async function migrate(db: Kysely<Database>): Promise<void> {
  const { error } = await new Migrator({ db, provider: migrationProvider, allowUnorderedMigrations: true }).migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
}
