import "server-only";
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from "node:fs";
import path from "node:path";
import SqliteDatabase from "better-sqlite3";
import { Kysely } from "kysely";
import { migrate } from "./migrations";
import type { Database } from "./schema";
import { HonestSqliteDialect } from "./sqlite-dialect";

const FILE_MODE = 0o600;

/**
 * The database holds prompts, share tokens and callback secrets: only the server's own
 * user may read it. SQLite gives the -wal and -shm files it creates the database file's
 * permissions, so the file is made private before SQLite opens it; files an older
 * install left readable are made private too.
 */
function preparePrivateFile(file: string) {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  closeSync(openSync(file, "a", FILE_MODE));
  for (const companion of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) {
    // (A runtime data path: the ignore comment keeps the build's tracer from copying the whole project.)
    if (existsSync(/*turbopackIgnore: true*/ companion)) chmodSync(companion, FILE_MODE);
  }
}

/** Opens (creating if needed) the embedded SQLite store and brings its schema up to date. */
export async function openSqlite(file: string): Promise<Kysely<Database>> {
  preparePrivateFile(file);
  const database = new SqliteDatabase(file);
  // WAL lets readers (status polls) proceed while the tracker writes.
  database.pragma("journal_mode = WAL");
  database.pragma("synchronous = NORMAL");
  database.pragma("busy_timeout = 5000");
  database.pragma("foreign_keys = ON");
  const db = new Kysely<Database>({ dialect: new HonestSqliteDialect(database) });
  await migrate(db);
  return db;
}
