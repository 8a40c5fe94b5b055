import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newGenerationRecord, type GenerationRecord, type GenerationRepository } from "@/lib/generations/generation-record";
import { newCallbackSecret, newGenerationId, newShareToken } from "@/lib/generations/ids";
import { createKyselyGenerationRepository } from "@/lib/store/kysely-generation-repository";
import { openPostgres } from "@/lib/store/open-postgres";
import { openSqlite } from "@/lib/store/open-sqlite";
import type { Database } from "@/lib/store/schema";
import { startPostgres, type PostgresServer } from "../support/postgres-server";

/** One store, opened twice over the same data (a restart), then cleaned up. */
interface StoreUnderTest {
  open(): Promise<Kysely<Database>>;
  cleanup(): Promise<void>;
}

let postgres: PostgresServer;
let databases = 0;

const stores: Record<string, () => Promise<StoreUnderTest>> = {
  "SQLite file": async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "portrait-live-sqlite-"));
    return {
      open: () => openSqlite(path.join(dir, "portrait-live.sqlite")),
      cleanup: async () => rmSync(dir, { recursive: true, force: true }),
    };
  },
  "Postgres server": async () => {
    const url = await postgres.createDatabase(`contract_${++databases}`);
    return { open: () => openPostgres(url), cleanup: async () => undefined };
  },
};

beforeAll(async () => {
  postgres = await startPostgres();
});
afterAll(async () => {
  await postgres?.stop();
});

let clock = Date.parse("2026-11-20T10:00:00.000Z");
function record(overrides: Partial<GenerationRecord> = {}): GenerationRecord {
  const id = newGenerationId();
  const fresh = newGenerationRecord({
    id,
    shareToken: newShareToken(),
    mode: "live",
    prompt: "She smiles — and blinks. 🙂",
    promptOptimizer: true,
    watermark: false,
    inputKey: `inputs/${id}.jpg`,
    inputWidth: 720,
    inputHeight: 960,
    callbackSecret: newCallbackSecret(),
    idempotencyKey: null,
    createdAt: new Date((clock += 1000)).toISOString(),
  });
  return { ...fresh, ...overrides };
}

describe.each(Object.keys(stores))("the generation store on a %s", (kind) => {
  let store: StoreUnderTest;
  let db: Kysely<Database>;
  let repository: GenerationRepository;

  beforeAll(async () => {
    store = await (stores[kind] as () => Promise<StoreUnderTest>)();
    db = await store.open();
    repository = createKyselyGenerationRepository(db);
  });
  afterAll(async () => {
    await repository?.close();
    await store?.cleanup();
  });

  it("keeps every field as it was written, found by id, share token, callback secret and idempotency key", async () => {
    const written = record({ idempotencyKey: `key-${newGenerationId()}`, hidePrompt: true, watermark: true, progress: 0.25 });
    expect(await repository.insert(written)).toEqual({ record: written, created: true });
    expect(await repository.findById(written.id)).toEqual(written);
    expect(await repository.findByShareToken(written.shareToken ?? "")).toEqual(written);
    expect(await repository.findByCallbackSecret(written.callbackSecret)).toEqual(written);
    expect(await repository.findByIdempotencyKey(written.idempotencyKey ?? "")).toEqual(written);
    expect(await repository.findById("no-such-generation")).toBeUndefined();
  });

  it("answers every request with the same idempotency key with one generation, even when they race", async () => {
    const idempotencyKey = `race-${newGenerationId()}`;
    const results = await Promise.all(Array.from({ length: 8 }, () => repository.insert(record({ idempotencyKey }))));
    expect(results.filter((result) => result.created)).toHaveLength(1);
    expect(new Set(results.map((result) => result.record.id)).size).toBe(1);
  });

  it("updates only what a patch names, and reports a missing generation", async () => {
    const written = record();
    await repository.insert(written);
    const updated = await repository.update(written.id, { status: "processing", progress: 0.5, submitState: "submitted", upstreamTaskId: "task-1" });
    expect(updated).toMatchObject({ status: "processing", progress: 0.5, submitState: "submitted", upstreamTaskId: "task-1", prompt: written.prompt });
    expect(Date.parse(updated?.updatedAt ?? "")).toBeGreaterThan(0);
    expect(await repository.update("no-such-generation", { status: "failed" })).toBeUndefined();
  });

  it("pages newest first with a cursor, filters by status, and lists unfinished work oldest first", async () => {
    // A store of its own, so other tests' rows do not interfere: a second database on Postgres, a second file on SQLite.
    const isolated = await (stores[kind] as () => Promise<StoreUnderTest>)();
    const separate = createKyselyGenerationRepository(await isolated.open());
    try {
      const statuses = ["queued", "succeeded", "processing", "failed", "succeeded", "queued", "succeeded"] as const;
      const written = statuses.map((status) => record({ status }));
      for (const item of written) await separate.insert(item);

      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await separate.list({ limit: 3, cursor });
        expect(page.items.length).toBeLessThanOrEqual(3);
        seen.push(...page.items.map((item) => item.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen).toEqual(written.map((item) => item.id).reverse());

      const succeeded = await separate.list({ limit: 10, status: "succeeded" });
      expect(succeeded.items.map((item) => item.id)).toEqual(written.filter((item) => item.status === "succeeded").map((item) => item.id).reverse());
      expect(succeeded.nextCursor).toBeNull();

      const unfinished = await separate.listUnfinished();
      expect(unfinished.map((item) => item.id)).toEqual(written.filter((item) => item.status === "queued" || item.status === "processing").map((item) => item.id));
    } finally {
      await separate.close();
      await isolated.cleanup();
    }
  });

  it("keeps money spent after the generation is deleted", async () => {
    const written = record();
    await repository.insert(written);
    await repository.update(written.id, { costUsd: "0.28" });
    expect(await repository.delete(written.id)).toBe(true);
    expect(await repository.delete(written.id)).toBe(false);
    expect(await repository.findById(written.id)).toBeUndefined();
    expect(await repository.listSpend()).toContainEqual({ createdAt: written.createdAt, costUsd: "0.28", awaitingCost: false });
  });

  it("counts a generation as possibly billed from its creation until the provider's last word, even after a delete", async () => {
    // Every record of this suite is created a second after the last, so the time names its entry.
    const entryOf = async (createdAt: string) => (await repository.listSpend()).find((entry) => entry.createdAt === createdAt);
    // Sent, answered, billed.
    const billed = record();
    await repository.insert(billed);
    expect(await entryOf(billed.createdAt)).toEqual({ createdAt: billed.createdAt, costUsd: null, awaitingCost: true });
    await repository.update(billed.id, { submitState: "submitted", upstreamTaskId: "task-b", status: "processing" });
    expect((await entryOf(billed.createdAt))?.awaitingCost).toBe(true);
    await repository.update(billed.id, { costUsd: "0.28", status: "processing", resultUrl: "https://cdn/x.mp4" });
    expect(await entryOf(billed.createdAt)).toEqual({ createdAt: billed.createdAt, costUsd: "0.28", awaitingCost: false });

    // Sent, never answered, failed, then deleted: it may still have cost money.
    const unconfirmed = record();
    await repository.insert(unconfirmed);
    await repository.update(unconfirmed.id, { submitState: "submitting" });
    await repository.update(unconfirmed.id, { status: "failed", errorCode: "upstream_timeout" });
    await repository.delete(unconfirmed.id);
    expect((await entryOf(unconfirmed.createdAt))?.awaitingCost).toBe(true);

    // Refused before anything started, or deleted before it was sent: nothing to pay.
    const refused = record();
    await repository.insert(refused);
    await repository.update(refused.id, { submitState: "pending" });
    await repository.update(refused.id, { status: "failed", errorCode: "upstream_forbidden" });
    expect((await entryOf(refused.createdAt))?.awaitingCost).toBe(false);
    const neverSent = record();
    await repository.insert(neverSent);
    await repository.delete(neverSent.id);
    expect((await entryOf(neverSent.createdAt))?.awaitingCost).toBe(false);

    // The provider finished without a bill; a demo generation never costs anything.
    const unbilled = record();
    await repository.insert(unbilled);
    await repository.update(unbilled.id, { costUsd: null, status: "failed", errorCode: "10006095" });
    expect((await entryOf(unbilled.createdAt))?.awaitingCost).toBe(false);
    const demo = record({ mode: "demo" });
    await repository.insert(demo);
    expect((await entryOf(demo.createdAt))?.awaitingCost).toBe(false);
  });

  it("keeps a task id a notification named, apart from the confirmed one", async () => {
    const written = record();
    await repository.insert(written);
    expect(await repository.update(written.id, { submitState: "submitting", reportedTaskId: "task-named" })).toMatchObject({
      reportedTaskId: "task-named",
      upstreamTaskId: null,
    });
    expect(await repository.findById(written.id)).toMatchObject({ reportedTaskId: "task-named" });
  });

  it("lets one instance at a time claim an unfinished generation, until its claim runs out", async () => {
    const written = record();
    await repository.insert(written);
    const at = (ms: number) => new Date(Date.parse("2026-11-25T12:00:00.000Z") + ms).toISOString();
    const claimBy = (owner: string, now: number) => repository.claim(written.id, { owner, until: at(now + 60_000), now: at(now) });

    expect(await claimBy("instance-a", 0)).toMatchObject({ id: written.id });
    expect(await claimBy("instance-b", 1_000)).toBeUndefined();
    // The holder renews; the others still wait.
    expect(await claimBy("instance-a", 30_000)).toMatchObject({ id: written.id });
    expect(await claimBy("instance-b", 61_000)).toBeUndefined();
    // The holder stopped renewing: once the claim has run out, another instance takes over.
    expect(await claimBy("instance-b", 91_000)).toMatchObject({ id: written.id });
    expect(await repository.renewClaims("instance-a", at(100_000))).not.toContain(written.id);
    expect(await repository.renewClaims("instance-b", at(100_000))).toContain(written.id);

    await repository.update(written.id, { status: "succeeded" });
    expect(await repository.renewClaims("instance-b", at(200_000))).not.toContain(written.id);
    expect(await claimBy("instance-c", 1_000_000)).toBeUndefined();
    expect(await repository.claim("no-such-generation", { owner: "instance-a", until: at(1), now: at(0) })).toBeUndefined();
  });

  it("opens the gate to a paid create once, for the claim's holder only, even when asked at once", async () => {
    const written = record();
    await repository.insert(written);
    const now = new Date().toISOString();
    await repository.claim(written.id, { owner: "instance-a", until: new Date(Date.now() + 60_000).toISOString(), now });
    expect(await repository.beginSubmit(written.id, "instance-b")).toBeUndefined();
    const attempts = await Promise.all(Array.from({ length: 8 }, () => repository.beginSubmit(written.id, "instance-a")));
    expect(attempts.filter(Boolean)).toHaveLength(1);
    expect(attempts.find(Boolean)).toMatchObject({ submitState: "submitting" });
    expect((await repository.findById(written.id))?.submitState).toBe("submitting");
  });

  it("reopens the same data after a restart without migrating twice", async () => {
    const written = record();
    await repository.insert(written);
    const reopened = createKyselyGenerationRepository(await store.open());
    try {
      expect(await reopened.findById(written.id)).toEqual(written);
      expect(await reopened.ping()).toBe(true);
    } finally {
      await reopened.close();
    }
  });
});
