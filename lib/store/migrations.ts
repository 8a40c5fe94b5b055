import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from "kysely";
import type { Database } from "./schema";

/** Schema history, in order. Written with Kysely's schema builder so it runs on SQLite and Postgres. */
const migrations: Record<string, Migration> = {
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
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};

/** Brings a store's schema up to date (Kysely's migrator locks, so concurrent starts are safe). */
export async function migrate(db: Kysely<Database>): Promise<void> {
  const { error } = await new Migrator({ db, provider: migrationProvider }).migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
}
