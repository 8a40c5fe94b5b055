import "server-only";
import { randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import { Mutex } from "async-mutex";
import pg from "pg";
import { RateLimiterPostgres } from "rate-limiter-flexible";
import type { Logger } from "pino";
import { LOCKS, type BusMessage, type Coordination, type LockName } from "./coordination";
import { parseBusMessage } from "./bus-message";
import { toLimiter } from "./limiter";

/** Advisory-lock namespace of this app, so its locks never meet another app's on a shared server. */
const LOCK_NAMESPACE = 0x504c; // "PL"
const CHANNEL = "portrait_live";
const RECONNECT_MS = 1_000;

export interface PostgresCoordinationOptions {
  connectionString: string;
  log: Pick<Logger, "warn" | "info">;
  /** Connections for limits, locks and sending messages (the listener has one more of its own). */
  poolSize?: number;
}

/**
 * Coordination through PostgreSQL, for several instances on one database:
 * - limits count in the `rate_limits` table (rate-limiter-flexible's Postgres store: one
 *   atomic upsert per attempt, so N instances together admit what one would);
 * - locks are session advisory locks, held on a connection of their own while the work runs
 *   (a dead instance's connection closes and so lets go of its lock);
 * - the bus is LISTEN/NOTIFY; a sender hears its own messages at once, without the round trip.
 */
export async function createPostgresCoordination(options: PostgresCoordinationOptions): Promise<Coordination> {
  const pool = new pg.Pool({ connectionString: options.connectionString, max: options.poolSize ?? 4 });
  // An idle client losing its connection must not crash the server; the pool replaces it.
  pool.on("error", () => undefined);
  const localLocks = new Map<LockName, Mutex>();
  const local = new EventEmitter();
  local.setMaxListeners(0);
  const sender = randomUUID();
  let listener: pg.Client | null = null;
  let closed = false;

  async function listen(): Promise<void> {
    const client = new pg.Client({ connectionString: options.connectionString });
    const reconnect = (error?: unknown) => {
      if (listener !== client) return;
      listener = null;
      client.removeAllListeners("notification");
      void client.end().catch(() => undefined);
      if (closed) return;
      options.log.warn({ err: error }, "lost the PostgreSQL notification channel; reconnecting (pages fall back to polling meanwhile)");
      setTimeout(() => void listen().catch(reconnect), RECONNECT_MS).unref();
    };
    client.on("error", reconnect);
    client.on("end", () => reconnect());
    client.on("notification", (notification) => {
      const message = parseBusMessage(notification.payload);
      if (message && message.sender !== sender) local.emit("message", message.body);
    });
    listener = client;
    await client.connect();
    await client.query(`LISTEN ${CHANNEL}`);
  }
  await listen();

  return {
    kind: "postgres",
    limiter: ({ name, points, durationSeconds }) =>
      toLimiter(
        new RateLimiterPostgres({
          storeClient: pool,
          storeType: "pool",
          tableName: "rate_limits",
          // The table comes with the schema's migrations, so instances never race to create it.
          tableCreated: true,
          clearExpiredByTimeout: true,
          keyPrefix: name,
          points,
          duration: durationSeconds,
        }),
      ),
    async exclusive(lock, work) {
      let mutex = localLocks.get(lock);
      if (!mutex) localLocks.set(lock, (mutex = new Mutex()));
      // Callers in this process queue here, so one instance holds at most one connection per lock.
      return mutex.runExclusive(async () => {
        const client = await pool.connect();
        let broken: Error | undefined;
        // A connection lost while checked out reports here, not to the pool; unheard, it would crash the process.
        const onError = (error: Error) => (broken = error);
        client.on("error", onError);
        try {
          await client.query("SELECT pg_advisory_lock($1, $2)", [LOCK_NAMESPACE, LOCKS[lock]]);
          return await work();
        } finally {
          try {
            await client.query("SELECT pg_advisory_unlock($1, $2)", [LOCK_NAMESPACE, LOCKS[lock]]);
          } catch (error) {
            // Closing the connection is what lets go of the lock then.
            broken = error instanceof Error ? error : new Error(String(error));
          }
          client.off("error", onError);
          client.release(broken);
        }
      });
    },
    publish(message) {
      local.emit("message", message);
      pool.query("SELECT pg_notify($1, $2)", [CHANNEL, JSON.stringify({ sender, body: message })]).catch((error: unknown) => {
        options.log.warn({ err: error }, "could not tell the other instances of a change; they will see it on their next poll");
      });
    },
    subscribe(callback) {
      const handler = (message: BusMessage) => callback(message);
      local.on("message", handler);
      return () => local.off("message", handler);
    },
    async close() {
      closed = true;
      const client = listener;
      listener = null;
      await Promise.all([client?.end().catch(() => undefined), pool.end().catch(() => undefined)]);
    },
  };
}
