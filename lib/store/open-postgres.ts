import "server-only";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { migrate } from "./migrations";
import type { Database } from "./schema";

/** Opens the Postgres store (DATABASE_URL) and brings its schema up to date. */
export async function openPostgres(connectionString: string, poolMax = 10): Promise<Kysely<Database>> {
  const pool = new pg.Pool({ connectionString, max: poolMax });
  // An idle client losing its connection must not crash the server; the pool replaces it.
  pool.on("error", () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    await migrate(db);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return db;
}
