import { PostgresAdapter, sql, type Kysely, type RawBuilder } from "kysely";
import { UNFINISHED_STATUSES } from "@/lib/contracts/generation";
import type { Database } from "@/lib/store/schema";

/**
 * The queue's rules as SQL, shared by the submit gate and the queue's reads. A generation
 * waits while its create has not left (`pending`) and it is unfinished; it runs while its
 * create has left (`submitting`/`submitted`) and it is unfinished. Waiting ones start in
 * the order they were made (created_at, then id).
 */
const unfinished = () => sql.join(UNFINISHED_STATUSES.map((status) => sql.lit(status)));

export const runningCount = () =>
  sql<number>`(select count(*) from generations running where running.submit_state in ('submitting', 'submitted') and running.status in (${unfinished()}))`;

/** True for the generation in the outer `generations` row when it is its turn and a slot is free. */
export function queueTurn(maxInFlight: number): RawBuilder<boolean> {
  return sql<boolean>`${runningCount()} < ${sql.lit(maxInFlight)} and not exists (
    select 1 from generations older
    where older.submit_state = 'pending' and older.status in (${unfinished()})
      and (older.created_at < generations.created_at or (older.created_at = generations.created_at and older.id < generations.id)))`;
}

export const isPostgres = (db: Kysely<Database>) => db.getExecutor().adapter instanceof PostgresAdapter;

/** A transaction-scoped lock every instance's submit gate takes on Postgres. */
export async function lockSubmitGate(trx: Kysely<Database>): Promise<void> {
  await sql`select pg_advisory_xact_lock(${sql.lit(QUEUE_LOCK_KEY)})`.execute(trx);
}

/** Any fixed 64-bit number, the same on every instance. */
const QUEUE_LOCK_KEY = 7_302_461_133;
