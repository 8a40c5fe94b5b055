import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOCKS, type BusMessage, type Coordination } from "@/lib/coordination/coordination";
import { createPostgresCoordination } from "@/lib/coordination/postgres-coordination";
import { openPostgres } from "@/lib/store/open-postgres";
import { startPostgres, type PostgresServer } from "../support/postgres-server";
import { waitFor } from "../support/api";

let postgres: PostgresServer;
let databaseUrl: string;
const opened: Coordination[] = [];
const quiet = { warn: () => undefined, info: () => undefined };

/** What one app instance opens: its own pool and listener on the shared database. */
async function instance(): Promise<Coordination> {
  const coordination = await createPostgresCoordination({ connectionString: databaseUrl, log: quiet });
  opened.push(coordination);
  return coordination;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  postgres = await startPostgres();
  databaseUrl = await postgres.createDatabase("coordination");
  // The schema's migrations make the counters' table.
  await (await openPostgres(databaseUrl)).destroy();
});

afterAll(async () => {
  for (const coordination of opened) await coordination.close();
  await postgres?.stop();
});

describe("coordination through PostgreSQL, as three instances see it", () => {
  it("counts one limit together: 30 attempts spread over 3 instances admit exactly 10", async () => {
    const instances = await Promise.all([instance(), instance(), instance()]);
    const limiters = instances.map((coordination) => coordination.limiter({ name: "shared-test", points: 10, durationSeconds: 60 }));
    const decisions = await Promise.all(Array.from({ length: 30 }, (_, i) => limiters[i % 3]!.consume("someone")));
    expect(decisions.filter((decision) => decision.allowed)).toHaveLength(10);
    // A refusal is an answer with when to try again, from whichever instance gave it.
    for (const decision of decisions) if (!decision.allowed) expect(decision.retryAfterMs).toBeGreaterThan(50_000);
    // Another key has its own allowance.
    expect(await limiters[0]!.consume("someone else")).toEqual({ allowed: true });
  });

  it("runs one holder of a lock at a time across instances (no lost update in a read-pause-write)", async () => {
    const instances = await Promise.all([instance(), instance(), instance()]);
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query("create table if not exists lock_probe (n integer not null)");
    await client.query("insert into lock_probe values (0)");
    const increment = (coordination: Coordination) =>
      coordination.exclusive("admission", async () => {
        const { rows } = await client.query<{ n: number }>("select n from lock_probe");
        await sleep(5);
        await client.query("update lock_probe set n = $1", [rows[0]!.n + 1]);
      });
    await Promise.all(Array.from({ length: 30 }, (_, i) => increment(instances[i % 3]!)));
    expect((await client.query<{ n: number }>("select n from lock_probe")).rows[0]!.n).toBe(30);
    await client.end();
  });

  it("different locks do not wait on each other", async () => {
    const [first, second] = await Promise.all([instance(), instance()]);
    let release!: () => void;
    const held = first.exclusive("admission", () => new Promise<void>((resolve) => (release = resolve)));
    await sleep(50);
    await expect(Promise.race([second.exclusive("uploads", async () => "ran"), sleep(2000).then(() => "waited")])).resolves.toBe("ran");
    release();
    await held;
  });

  it("a lock whose holder's connection dies is free again", async () => {
    const [first, second] = await Promise.all([instance(), instance()]);
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    let cut!: (terminated: boolean[]) => void;
    const terminated = new Promise<boolean[]>((resolve) => (cut = resolve));
    // The holder does not finish its work until the end: only its connection dying, as when its instance is killed, can free the lock.
    let finish!: () => void;
    const holder = first
      .exclusive("uploads", async () => {
        const { rows } = await admin.query<{ terminated: boolean }>(
          "select pg_terminate_backend(pid) as terminated from pg_locks where locktype = 'advisory' and granted and objid = $1",
          [LOCKS.uploads],
        );
        cut(rows.map((row) => row.terminated));
        await new Promise<void>((resolve) => (finish = resolve));
      })
      .catch(() => undefined);
    expect(await terminated).toEqual([true]);
    await expect(Promise.race([second.exclusive("uploads", async () => "ran"), sleep(3000).then(() => "waited")])).resolves.toBe("ran");
    finish();
    await holder;
    await admin.end();
  });

  it("delivers a message to every instance once, the sender included, and recovers a lost listener", async () => {
    const instances = await Promise.all([instance(), instance(), instance()]);
    const heard: BusMessage[][] = instances.map(() => []);
    instances.forEach((coordination, i) => coordination.subscribe((message) => heard[i]!.push(message)));
    instances[0]!.publish({ type: "changed", id: "gen-1" });
    await waitFor(async () => heard.every((messages) => messages.length === 1), 2000);
    await sleep(200);
    expect(heard).toEqual(instances.map(() => [{ type: "changed", id: "gen-1" }]));

    // Cut every listening connection: the instances listen again and messages flow.
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    const listeners = await admin.query("select pg_terminate_backend(pid) from pg_stat_activity where query like 'LISTEN%' and pid <> pg_backend_pid()");
    expect(listeners.rowCount).toBeGreaterThanOrEqual(instances.length);
    await admin.end();
    await waitFor(async () => {
      instances[1]!.publish({ type: "nudge", id: "gen-2" });
      await sleep(200);
      return heard[2]!.some((message) => message.type === "nudge");
    }, 10_000);
  });
});
