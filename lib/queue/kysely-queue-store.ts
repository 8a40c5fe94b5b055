import "server-only";
import { sql, type Kysely } from "kysely";
import { UNFINISHED_STATUSES } from "@/lib/contracts/generation";
import type { Database } from "@/lib/store/schema";
import { queueTurn, runningCount } from "./queue-sql";

export interface QueueSnapshot {
  /** Creates running now. */
  running: number;
  /** Waiting generation ids, oldest first (position 1 is the first to start). */
  waiting: string[];
  /** How long recent generations ran, from leaving the queue to finishing (ms), newest first. */
  recentDurationsMs: number[];
}

const RECENT = 10;

/** The queue's reads over the generations table (it writes nothing: a cancel goes through the generation repository). */
export function createKyselyQueueStore(db: Kysely<Database>, maxInFlight: number) {
  const waitingQuery = () =>
    db
      .selectFrom("generations")
      .select("id")
      .where("submit_state", "=", "pending")
      .where("status", "in", UNFINISHED_STATUSES)
      .orderBy("created_at")
      .orderBy("id");

  return {
    async mayStart(id: string): Promise<boolean> {
      const row = await db.selectFrom("generations").select("id").where("id", "=", id).where(queueTurn(maxInFlight)).executeTakeFirst();
      return row !== undefined;
    },

    async oldestWaiting(): Promise<string[]> {
      return (await waitingQuery().limit(maxInFlight).execute()).map((row) => row.id);
    },

    async snapshot(): Promise<QueueSnapshot> {
      const [waiting, running, recent] = await Promise.all([
        // A create the provider refused for now (429) is pending again but not in line for a slot.
        waitingQuery().where("started_at", "is", null).execute(),
        sql<{ n: number | string }>`select ${runningCount()} as n`.execute(db),
        db
          .selectFrom("generations")
          .select(["started_at", "created_at", "completed_at"])
          .where("status", "=", "succeeded")
          .where("completed_at", "is not", null)
          .orderBy("completed_at", "desc")
          .limit(RECENT)
          .execute(),
      ]);
      return {
        running: Number(running.rows[0]?.n ?? 0),
        waiting: waiting.map((row) => row.id),
        recentDurationsMs: recent
          .map((row) => Date.parse(row.completed_at ?? "") - Date.parse(row.started_at ?? row.created_at))
          .filter((ms) => Number.isFinite(ms) && ms > 0),
      };
    },
  };
}

export type QueueStore = ReturnType<typeof createKyselyQueueStore>;
