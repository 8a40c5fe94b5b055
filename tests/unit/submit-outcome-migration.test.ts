import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import SqliteDatabase from "better-sqlite3";
import { Kysely, Migrator, SqliteDialect, sql } from "kysely";
import { expect, it } from "vitest";
import { migrate, migrationProvider } from "@/lib/store/migrations";
import type { Database } from "@/lib/store/schema";

it("an upgrade counts existing live generations that may still be billed at the estimate", async () => {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), "migration-test-")), "db.sqlite");
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: new SqliteDatabase(file) }) });
  try {
    const { error } = await new Migrator({ db, provider: migrationProvider }).migrateTo("2026-11-25-003-tracker-claims");
    expect(error).toBeUndefined();
    // Before this release a refused create also stayed 'submitting'; its error code tells it apart.
    const rows = [
      ["running", "live", "processing", "submitted", null, null],
      ["timed-out", "live", "failed", "submitting", null, "upstream_timeout"],
      ["interrupted", "live", "failed", "submitting", null, "submit_interrupted"],
      ["refused", "live", "failed", "submitting", null, "upstream_forbidden"],
      ["billed", "live", "succeeded", "submitted", "0.28", null],
      ["provider-failed", "live", "failed", "submitted", null, "10006095"],
      ["demo", "demo", "processing", "submitted", null, null],
    ] as const;
    for (const [id, mode, status, submitState, cost, errorCode] of rows) {
      await sql`insert into generations (id, status, mode, prompt, prompt_optimizer, watermark, input_key, input_width, input_height,
        submit_state, cost_usd, error_code, callback_secret, created_at, updated_at)
        values (${id}, ${status}, ${mode}, '', 1, 0, ${`inputs/${id}.jpg`}, 600, 800, ${submitState}, ${cost}, ${errorCode}, ${`secret-${id}`},
        '2026-11-29T10:00:00.000Z', '2026-11-29T10:00:00.000Z')`.execute(db);
      await sql`insert into usage_ledger (generation_id, created_at, cost_usd) values (${id}, '2026-11-29T10:00:00.000Z', ${cost})`.execute(db);
    }
    await migrate(db);
    const ledger = await db.selectFrom("usage_ledger").select(["generation_id", "awaiting_cost"]).orderBy("generation_id").execute();
    expect(Object.fromEntries(ledger.map((row) => [row.generation_id, row.awaiting_cost]))).toEqual({
      running: 1,
      "timed-out": 1,
      interrupted: 1,
      refused: 0,
      billed: 0,
      "provider-failed": 0,
      demo: 0,
    });
    const generation = await db.selectFrom("generations").select("reported_task_id").where("id", "=", "running").executeTakeFirst();
    expect(generation).toEqual({ reported_task_id: null });
  } finally {
    await db.destroy();
  }
});
