import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import SqliteDatabase from "better-sqlite3";
import { Kysely, Migrator, SqliteDialect, sql } from "kysely";
import { expect, it } from "vitest";
import { migrate, migrationProvider } from "@/lib/store/migrations";
import type { Database } from "@/lib/store/schema";

it("an upgrade renames the first-frame jobs from 'poster' to 'frame' and keeps their stored files", async () => {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), "migration-test-")), "db.sqlite");
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: new SqliteDatabase(file) }) });
  try {
    const { error } = await new Migrator({ db, provider: migrationProvider }).migrateTo("2026-12-07-013-spend-when-sent");
    expect(error).toBeUndefined();
    for (const [kind, key] of [
      ["poster", "derived/gen-a/poster.jpg"],
      ["preview", "derived/gen-a/preview.webp"],
    ] as const) {
      await sql`insert into media_derivatives (generation_id, kind, ping_pong, state, priority, media_key, created_at, updated_at)
        values ('gen-a', ${kind}, 0, 'ready', 1, ${key}, '2026-12-01T10:00:00.000Z', '2026-12-01T10:00:00.000Z')`.execute(db);
    }
    await migrate(db);
    const rows = await db.selectFrom("media_derivatives").select(["kind", "media_key"]).orderBy("kind").execute();
    expect(rows).toEqual([
      { kind: "frame", media_key: "derived/gen-a/poster.jpg" },
      { kind: "preview", media_key: "derived/gen-a/preview.webp" },
    ]);
  } finally {
    await db.destroy();
  }
});
