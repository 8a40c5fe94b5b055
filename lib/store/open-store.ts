import "server-only";
import path from "node:path";
import type { Kysely } from "kysely";
import type { Env } from "@/lib/env";
import { openSqlite } from "./open-sqlite";
import type { Database } from "./schema";

export type StoreKind = "sqlite" | "postgres";

export const storeKindFor = (config: Env): StoreKind => (config.DATABASE_URL ? "postgres" : "sqlite");

/** The configured store: Postgres when DATABASE_URL is set (its driver loaded only then), else the SQLite file in DATA_DIR. */
export async function openStore(config: Env, dataDir: string): Promise<Kysely<Database>> {
  if (!config.DATABASE_URL) return openSqlite(path.join(dataDir, "portrait-live.sqlite"));
  const { openPostgres } = await import("./open-postgres");
  return openPostgres(config.DATABASE_URL, config.DATABASE_POOL_MAX);
}
