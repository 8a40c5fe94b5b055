import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newSessionRecord } from "@/lib/sessions/session-policy";
import { createKyselySessionRepository } from "@/lib/store/kysely-session-repository";
import { openPostgres } from "@/lib/store/open-postgres";
import { openSqlite } from "@/lib/store/open-sqlite";
import type { Database } from "@/lib/store/schema";
import { startPostgres, type PostgresServer } from "../support/postgres-server";

let postgres: PostgresServer;
const cleanups: Array<() => Promise<void>> = [];

const stores: Record<string, () => Promise<Kysely<Database>>> = {
  "SQLite file": async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "portrait-live-sessions-"));
    const db = await openSqlite(path.join(dir, "portrait-live.sqlite"));
    cleanups.push(async () => {
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    });
    return db;
  },
  "Postgres server": async () => {
    const db = await openPostgres(await postgres.createDatabase(`sessions_${cleanups.length + 1}`));
    cleanups.push(() => db.destroy());
    return db;
  },
};

beforeAll(async () => {
  postgres = await startPostgres();
});
afterAll(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
  await postgres?.stop();
});

describe.each(Object.keys(stores))("session repository on a %s", (name) => {
  const open = async () => createKyselySessionRepository(await stores[name]!());
  const day = (n: number) => new Date(Date.parse("2026-11-01T00:00:00.000Z") + n * 86_400_000);

  it("keeps a session, revokes one or all, and forgets expired ones", async () => {
    const sessions = await open();
    const laptop = newSessionRecord("192.0.2.1", day(0));
    const phone = newSessionRecord("2001:db8:1:2::/64", day(1));
    await sessions.insert(laptop);
    await sessions.insert(phone);
    expect(await sessions.find(laptop.id)).toEqual(laptop);
    expect(await sessions.find("no-such-session")).toBeUndefined();

    await sessions.revoke(laptop.id, day(2).toISOString());
    expect((await sessions.find(laptop.id))?.revokedAt).toBe(day(2).toISOString());
    // Revoking again keeps the first time.
    await sessions.revoke(laptop.id, day(3).toISOString());
    expect((await sessions.find(laptop.id))?.revokedAt).toBe(day(2).toISOString());

    const later = newSessionRecord("192.0.2.1", day(4));
    await sessions.insert(later);
    expect(await sessions.revokeAll(day(5).toISOString())).toBe(2);
    expect((await sessions.find(phone.id))?.revokedAt).toBe(day(5).toISOString());
    expect((await sessions.find(later.id))?.revokedAt).toBe(day(5).toISOString());

    expect(await sessions.signedInFrom("192.0.2.1", day(3).toISOString())).toBe(true);
    expect(await sessions.signedInFrom("192.0.2.1", day(5).toISOString())).toBe(false);
    expect(await sessions.signedInFrom("192.0.2.99", day(0).toISOString())).toBe(false);

    // laptop expires on day 30, phone on 31, later on 34.
    expect(await sessions.deleteExpired(day(31).toISOString())).toBe(1);
    expect(await sessions.find(laptop.id)).toBeUndefined();
    expect(await sessions.find(phone.id)).toBeDefined();
  });

  it("keeps the first cookie-sealing key offered, for every later caller", async () => {
    const db = await stores[name]!();
    const [one, two] = [createKyselySessionRepository(db), createKyselySessionRepository(db)];
    const keys = await Promise.all([one.sealingKey("key-from-instance-one"), two.sealingKey("key-from-instance-two")]);
    expect(keys[0]).toBe(keys[1]);
    expect(await one.sealingKey("a-third-key")).toBe(keys[0]);
  });
});
