import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import SqliteDatabase from "better-sqlite3";
import { Kysely, Migrator, SqliteDialect, type MigrationProvider } from "kysely";
import { expect, it } from "vitest";
import { migrate, migrations } from "@/lib/store/migrations";
import type { Database } from "@/lib/store/schema";

/** Migrations as they stood in a release, by name. */
const released = (names: string[]): MigrationProvider => ({
  getMigrations: async () => Object.fromEntries(names.map((name) => [name, migrations[name]!])),
});

it("a store migrated by an earlier release upgrades, even when a newer migration sorts between ones it already ran", async () => {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), "migration-order-")), "db.sqlite");
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: new SqliteDatabase(file) }) });
  try {
    // The release before takes, the queue and derived media shipped share expiry (009) but not 008.
    const before = Object.keys(migrations).filter((name) => name <= "2026-11-30-009-share-expiry" && !name.includes("-008-"));
    expect(before).toContain("2026-11-30-009-share-expiry");
    const { error } = await new Migrator({ db, provider: released(before) }).migrateToLatest();
    expect(error).toBeUndefined();

    await migrate(db);

    const ran = await db
      .selectFrom("kysely_migration" as never)
      .select("name" as never)
      .execute();
    expect(ran.map((row) => (row as { name: string }).name).sort()).toEqual(Object.keys(migrations).sort());
    // What 008 adds is there.
    await db.selectFrom("take_sets").selectAll().execute();
    await db.selectFrom("generations").select("started_at").execute();
  } finally {
    await db.destroy();
  }
});
