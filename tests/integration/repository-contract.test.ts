import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import SqliteDatabase from "better-sqlite3";
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aGeneration } from "../support/fakes/generation-record";
import { type GenerationRecord } from "@/lib/generations/generation-record";
import { InvalidCursorError, type GenerationRepository, type SpendEntry } from "@/lib/generations/generation-repository";
import { newGenerationId, newShareToken } from "@/lib/generations/ids";
import { createKyselyGenerationRepository } from "@/lib/store/kysely-generation-repository";
import { createKyselyUploadRepository } from "@/lib/store/kysely-upload-repository";
import { createKyselyTakeStore, type TakeStore } from "@/lib/takes/kysely-take-store";
import { migrate, migrationProvider } from "@/lib/store/migrations";
import { openPostgres } from "@/lib/store/open-postgres";
import { openSqlite } from "@/lib/store/open-sqlite";
import type { Database } from "@/lib/store/schema";
import type { UploadRecord, UploadRepository } from "@/lib/uploads/upload-record";
import { startPostgres, type PostgresServer } from "../support/postgres-server";

/** One store, opened twice over the same data (a restart), then cleaned up. */
interface StoreUnderTest {
  open(): Promise<Kysely<Database>>;
  /** The same database without bringing its schema up to date (for migration tests). */
  openUnmigrated(): Kysely<Database>;
  cleanup(): Promise<void>;
}

let postgres: PostgresServer;
let databases = 0;

const stores: Record<string, () => Promise<StoreUnderTest>> = {
  "SQLite file": async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "portrait-live-sqlite-"));
    const file = path.join(dir, "portrait-live.sqlite");
    return {
      open: () => openSqlite(file),
      openUnmigrated: () => {
        const database = new SqliteDatabase(file);
        database.pragma("foreign_keys = ON");
        return new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
      },
      cleanup: async () => rmSync(dir, { recursive: true, force: true }),
    };
  },
  "Postgres server": async () => {
    const url = await postgres.createDatabase(`contract_${++databases}`);
    return {
      open: () => openPostgres(url),
      openUnmigrated: () => {
        const pool = new pg.Pool({ connectionString: url });
        // pool.end() resolves before every socket has closed; a server stopping meanwhile must not crash the run.
        pool.on("error", () => undefined);
        return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
      },
      cleanup: async () => undefined,
    };
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
  return aGeneration({ shareToken: newShareToken(), prompt: "She smiles — and blinks. 🙂", createdAt: new Date((clock += 1000)).toISOString() }, overrides);
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

  /** The one way past `pending`: this test's instance claims the generation and opens the gate. */
  const claimAndBeginSubmit = async (id: string) => {
    const now = new Date().toISOString();
    await repository.claim(id, { owner: "contract-test", until: new Date(Date.now() + 60_000).toISOString(), now });
    expect(await repository.beginSubmit(id, "contract-test")).toMatchObject({ submitState: "submitting" });
  };

  it("keeps when a generation first left the queue through refused creates, so its deadline is not reset by retries", async () => {
    const refused = record();
    await repository.insert(refused);
    await claimAndBeginSubmit(refused.id);
    const started = (await repository.findById(refused.id))?.startedAt;
    expect(started).toEqual(expect.any(String));
    await repository.update(refused.id, { kind: "submit_refused" });
    await new Promise((resolve) => setTimeout(resolve, 5));
    await claimAndBeginSubmit(refused.id);
    expect((await repository.findById(refused.id))?.startedAt).toBe(started);
  });

  it("keeps every field as it was written, found by id, share token, callback secret and idempotency key", async () => {
    const written = record({
      idempotencyKey: `key-${newGenerationId()}`,
      hidePrompt: true,
      watermark: true,
      progress: 0.25,
      shareExpiresAt: "2026-12-07T10:00:00.000Z",
    });
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

  it("applies a transition to what it names only, and reports a missing generation", async () => {
    const written = record({ submitState: "submitting" });
    await repository.insert(written);
    await repository.update(written.id, { kind: "submitted", upstreamTaskId: "task-1" });
    const updated = await repository.update(written.id, { kind: "progress", status: "processing", progress: 0.5 });
    expect(updated).toMatchObject({ status: "processing", progress: 0.5, submitState: "submitted", upstreamTaskId: "task-1", prompt: written.prompt });
    expect(Date.parse(updated?.updatedAt ?? "")).toBeGreaterThan(0);
    expect(await repository.update("no-such-generation", { kind: "failed", code: "x", message: "x", completedAt: new Date().toISOString() })).toBeUndefined();
  });

  it("refuses, changing nothing, a transition the status table does not allow", async () => {
    const completedAt = new Date().toISOString();
    const succeeded = record({ submitState: "submitted", upstreamTaskId: "task-s", status: "processing" });
    await repository.insert(succeeded);
    const stored = await repository.update(succeeded.id, { kind: "stored", resultKey: `videos/${succeeded.id}.mp4`, resultBytes: 10, completedAt });
    expect(stored).toMatchObject({ status: "succeeded" });
    // succeeded → processing, succeeded → failed, a notice on a finished generation: all refused.
    expect(await repository.update(succeeded.id, { kind: "progress", status: "processing", progress: 0.2 })).toBeUndefined();
    expect(await repository.update(succeeded.id, { kind: "result_ready", resultUrl: "https://cdn/y.mp4", costUsd: null })).toBeUndefined();
    expect(await repository.update(succeeded.id, { kind: "failed", code: "late", message: "late", completedAt })).toBeUndefined();
    expect(await repository.update(succeeded.id, { kind: "notice", code: "storage_full", message: "full" })).toBeUndefined();
    expect(await repository.findById(succeeded.id)).toEqual(stored);
    // The owner may still share a finished generation.
    expect(await repository.update(succeeded.id, { kind: "share", shareToken: null, shareExpiresAt: null })).toMatchObject({
      status: "succeeded",
      shareToken: null,
    });

    const failed = record();
    await repository.insert(failed);
    const failedRecord = await repository.update(failed.id, { kind: "failed", code: "provider_error", message: "no", completedAt });
    expect(await repository.update(failed.id, { kind: "stored", resultKey: "videos/x.mp4", resultBytes: 10, completedAt })).toBeUndefined();
    expect(await repository.update(failed.id, { kind: "progress", status: "queued", progress: null })).toBeUndefined();
    expect(await repository.findById(failed.id)).toEqual(failedRecord);

    // A generation in processing never goes back to queued.
    const moving = record({ status: "processing" });
    await repository.insert(moving);
    expect(await repository.update(moving.id, { kind: "progress", status: "queued", progress: 0 })).toBeUndefined();
    // The create's answer is recorded only while the create is unanswered.
    expect(await repository.update(moving.id, { kind: "submitted", upstreamTaskId: "task-m" })).toBeUndefined();
  });

  it("sets a share link's expiry with its token and clears both together", async () => {
    const written = record();
    await repository.insert(written);
    expect(written.shareExpiresAt).toBeNull();
    const expiring = await repository.update(written.id, { kind: "share", shareToken: newShareToken(), shareExpiresAt: "2026-12-01T10:00:00.000Z" });
    expect(expiring?.shareExpiresAt).toBe("2026-12-01T10:00:00.000Z");
    expect(await repository.findByShareToken(expiring?.shareToken ?? "")).toEqual(expiring);
    const retimed = await repository.update(written.id, { kind: "share_expiry", shareExpiresAt: null });
    expect(retimed).toMatchObject({ shareToken: expiring?.shareToken, shareExpiresAt: null });
    const revoked = await repository.update(written.id, { kind: "share", shareToken: null, shareExpiresAt: null });
    expect(revoked).toMatchObject({ shareToken: null, shareExpiresAt: null });
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
      // The cursor is the repository's own: one it did not make is refused, not read as "from the start".
      await expect(separate.list({ limit: 3, cursor: "bm9wZQ" })).rejects.toBeInstanceOf(InvalidCursorError);

      const succeeded = await separate.list({ limit: 10, status: "succeeded" });
      expect(succeeded.items.map((item) => item.id)).toEqual(
        written
          .filter((item) => item.status === "succeeded")
          .map((item) => item.id)
          .reverse(),
      );
      expect(succeeded.nextCursor).toBeNull();

      const unfinished = await separate.listUnfinished();
      expect(unfinished.map((item) => item.id)).toEqual(
        written.filter((item) => item.status === "queued" || item.status === "processing").map((item) => item.id),
      );
    } finally {
      await separate.close();
      await isolated.cleanup();
    }
  });

  it("keeps money spent after the generation is deleted", async () => {
    const written = record();
    await repository.insert(written);
    await repository.update(written.id, { kind: "result_ready", resultUrl: "https://cdn/x.mp4", costUsd: "0.28" });
    expect(await repository.delete(written.id)).toBe(true);
    expect(await repository.delete(written.id)).toBe(false);
    expect(await repository.findById(written.id)).toBeUndefined();
    expect(await repository.listSpend()).toContainEqual({ createdAt: written.createdAt, costUsd: "0.28", awaitingCost: false, sentAt: null });
  });

  it("counts a generation as possibly billed from its creation until the provider's last word, even after a delete", async () => {
    // Every record of this suite is created a second after the last, so the time names its entry.
    const entryOf = async (createdAt: string) => (await repository.listSpend()).find((entry) => entry.createdAt === createdAt);
    // Sent, answered, billed.
    const billed = record();
    await repository.insert(billed);
    expect(await entryOf(billed.createdAt)).toEqual({ createdAt: billed.createdAt, costUsd: null, awaitingCost: true, sentAt: null });
    const beforeSend = new Date().toISOString();
    await claimAndBeginSubmit(billed.id);
    // Budgets count it from when its create passed the gate.
    expect(Date.parse((await entryOf(billed.createdAt))?.sentAt ?? "")).toBeGreaterThanOrEqual(Date.parse(beforeSend));
    await repository.update(billed.id, { kind: "submitted", upstreamTaskId: "task-b" });
    await repository.update(billed.id, { kind: "progress", status: "processing", progress: null });
    expect((await entryOf(billed.createdAt))?.awaitingCost).toBe(true);
    await repository.update(billed.id, { kind: "result_ready", costUsd: "0.28", resultUrl: "https://cdn/x.mp4" });
    expect(await entryOf(billed.createdAt)).toMatchObject({ createdAt: billed.createdAt, costUsd: "0.28", awaitingCost: false });

    // Sent, never answered, failed, then deleted: it may still have cost money.
    const unconfirmed = record();
    await repository.insert(unconfirmed);
    await claimAndBeginSubmit(unconfirmed.id);
    await repository.update(unconfirmed.id, { kind: "failed", code: "upstream_timeout", message: "timeout", completedAt: new Date().toISOString() });
    await repository.delete(unconfirmed.id);
    expect((await entryOf(unconfirmed.createdAt))?.awaitingCost).toBe(true);

    // Refused before anything started, or deleted before it was sent: nothing to pay.
    const refused = record();
    await repository.insert(refused);
    await claimAndBeginSubmit(refused.id);
    await repository.update(refused.id, { kind: "submit_refused" });
    await repository.update(refused.id, { kind: "failed", code: "upstream_forbidden", message: "forbidden", completedAt: new Date().toISOString() });
    expect((await entryOf(refused.createdAt))?.awaitingCost).toBe(false);
    const neverSent = record();
    await repository.insert(neverSent);
    await repository.delete(neverSent.id);
    expect((await entryOf(neverSent.createdAt))?.awaitingCost).toBe(false);

    // The provider finished without a bill; a demo generation never costs anything.
    const unbilled = record();
    await repository.insert(unbilled);
    await repository.update(unbilled.id, { kind: "failed", costUsd: null, code: "10006095", message: "refused", completedAt: new Date().toISOString() });
    expect((await entryOf(unbilled.createdAt))?.awaitingCost).toBe(false);
    const demo = record({ mode: "demo" });
    await repository.insert(demo);
    expect((await entryOf(demo.createdAt))?.awaitingCost).toBe(false);
  });

  it("keeps a task id a notification named, apart from the confirmed one", async () => {
    const written = record();
    await repository.insert(written);
    await claimAndBeginSubmit(written.id);
    expect(await repository.update(written.id, { kind: "task_reported", taskId: "task-named" })).toMatchObject({
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

    await repository.update(written.id, { kind: "stored", resultKey: `videos/${written.id}.mp4`, resultBytes: 1, completedAt: at(150_000) });
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

describe.each(Object.keys(stores))("the queue's submit gate on a %s", (kind) => {
  let store: StoreUnderTest;
  let repository: GenerationRepository;
  const lease = () => ({ owner: "instance-a", until: new Date(Date.now() + 60_000).toISOString(), now: new Date().toISOString() });
  const slots = (maxInFlight: number) => ({ maxInFlight });
  const waiting = async (count: number) => {
    const written = Array.from({ length: count }, () => record());
    for (const generation of written) {
      await repository.insert(generation);
      await repository.claim(generation.id, lease());
    }
    return written.map((generation) => generation.id);
  };

  beforeAll(async () => {
    // A database of its own: the gate counts every generation in it.
    store = await (stores[kind] as () => Promise<StoreUnderTest>)();
    repository = createKyselyGenerationRepository(await store.open());
  });
  afterAll(async () => {
    await repository?.close();
    await store?.cleanup();
  });

  it("lets a waiting generation through only in its turn and while a slot is free, and notes when it left", async () => {
    const [a, b, c] = await waiting(3);
    expect(await repository.beginSubmit(b!, "instance-a", slots(2))).toBeUndefined();
    expect(await repository.beginSubmit(a!, "instance-a", slots(2))).toMatchObject({ submitState: "submitting" });
    const second = await repository.beginSubmit(b!, "instance-a", slots(2));
    expect(second?.startedAt).toEqual(expect.any(String));
    expect(await repository.beginSubmit(c!, "instance-a", slots(2))).toBeUndefined();
    await repository.update(a!, { kind: "failed", code: "x", message: "x", completedAt: new Date().toISOString() });
    expect(await repository.beginSubmit(c!, "instance-a", slots(2))).toMatchObject({ submitState: "submitting" });
    for (const id of [b!, c!]) await repository.update(id, { kind: "failed", code: "x", message: "x", completedAt: new Date().toISOString() });
  });

  it("never lets more through than the slots, however many ask at once, and in order", async () => {
    const ids = await waiting(6);
    const passed: string[] = [];
    for (let round = 0; round < 6; round++) {
      const attempts = await Promise.all(ids.map((id) => repository.beginSubmit(id, "instance-a", slots(3))));
      passed.push(...attempts.flatMap((attempt) => (attempt ? [attempt.id] : [])));
    }
    expect(passed).toEqual(ids.slice(0, 3));
  });

  it("with a budget, lets through only what it allows however many ask at once, and marks each sent in the ledger", async () => {
    const start = new Date().toISOString();
    const ids = await waiting(6);
    // A budget of three sends from now on, decided from the ledger the gate reads under its lock.
    const mayCharge = (spend: SpendEntry[]) => spend.filter((entry) => entry.sentAt && entry.sentAt >= start).length < 3;
    const attempts = await Promise.all(ids.map((id) => repository.beginSubmit(id, "instance-a", { mayCharge })));
    expect(attempts.filter(Boolean)).toHaveLength(3);
    const sent = (await repository.listSpend()).filter((entry) => entry.sentAt && entry.sentAt >= start);
    expect(sent).toHaveLength(3);
    for (const id of ids) {
      const passed = attempts.some((attempt) => attempt?.id === id);
      expect((await repository.findById(id))?.submitState).toBe(passed ? "submitting" : "pending");
    }
  });
});

function upload(overrides: Partial<UploadRecord> = {}): UploadRecord {
  const id = newGenerationId();
  const createdAt = new Date((clock += 1000)).toISOString();
  return {
    id,
    mediaKey: `inputs/${id}.jpg`,
    width: 720,
    height: 960,
    bytes: 123_456,
    createdAt,
    expiresAt: new Date(Date.parse(createdAt) + 86_400_000).toISOString(),
    ...overrides,
  };
}

/** The sweep's view of now, with uploads kept a day after their last generation failed. */
const sweptNow = () => ({ now: new Date().toISOString(), failedBefore: new Date(Date.now() - 86_400_000).toISOString() });

const fromUpload = (source: UploadRecord) => record({ uploadId: source.id, inputKey: source.mediaKey, inputWidth: source.width, inputHeight: source.height });

describe.each(Object.keys(stores))("the take store on a %s", (kind) => {
  let store: StoreUnderTest;
  let generations: GenerationRepository;
  let takes: TakeStore;

  beforeAll(async () => {
    store = await (stores[kind] as () => Promise<StoreUnderTest>)();
    const db = await store.open();
    generations = createKyselyGenerationRepository(db);
    takes = createKyselyTakeStore(db);
  });
  afterAll(async () => {
    await generations?.close();
    await store?.cleanup();
  });

  async function setOf(count: number) {
    const members = Array.from({ length: count }, () => record());
    const { setId } = await generations.insertSet(
      { id: newGenerationId(), uploadId: null, idempotencyKey: null, createdAt: new Date().toISOString() },
      members,
    );
    return { setId, ids: members.map((member) => member.id) };
  }

  it("a take leaving its set takes its membership and the favourite along; the set goes with its last take", async () => {
    const { setId, ids } = await setOf(2);
    const [first, second] = ids as [string, string];
    await takes.setFavourite(setId, first);
    await takes.forgetMember(first);
    expect(await takes.findById(setId)).toMatchObject({ favouriteId: null, generationIds: [second] });
    expect((await takes.setsOf([first, second])).has(first)).toBe(false);
    await takes.forgetMember(second);
    expect(await takes.findById(setId)).toBeUndefined();
    // A generation in no set: nothing to do.
    await takes.forgetMember(first);
  });

  it("stores a set with its generations and their ledger entries all or nothing; the same key returns the first set", async () => {
    const key = `set-key-${newGenerationId()}`;
    const first = Array.from({ length: 2 }, () => record());
    const stored = await generations.insertSet({ id: newGenerationId(), uploadId: null, idempotencyKey: key, createdAt: new Date().toISOString() }, first);
    expect(stored).toMatchObject({ created: true, records: first });
    const spendBefore = (await generations.listSpend()).length;
    const again = await generations.insertSet({ id: newGenerationId(), uploadId: null, idempotencyKey: key, createdAt: new Date().toISOString() }, [record()]);
    expect(again).toEqual({ setId: stored.setId, records: first, created: false });
    expect(await takes.findById(stored.setId)).toMatchObject({ generationIds: first.map((member) => member.id) });
    // A member the table refuses (an id already taken) leaves no set, no generation and no ledger entry.
    const clash = [record(), first[0]!];
    await expect(
      generations.insertSet({ id: newGenerationId(), uploadId: null, idempotencyKey: null, createdAt: new Date().toISOString() }, clash),
    ).rejects.toThrow();
    expect(await generations.findById(clash[0]!.id)).toBeUndefined();
    expect((await generations.listSpend()).length).toBe(spendBefore);
  });

  it("goes when its last two takes leave at once", async () => {
    for (let round = 0; round < 5; round++) {
      const { setId, ids } = await setOf(2);
      await Promise.all(ids.map((id) => takes.forgetMember(id)));
      expect(await takes.findById(setId)).toBeUndefined();
    }
  });
});

describe.each(Object.keys(stores))("the upload store on a %s", (kind) => {
  let store: StoreUnderTest;
  let generations: GenerationRepository;
  let uploads: UploadRepository;

  beforeAll(async () => {
    store = await (stores[kind] as () => Promise<StoreUnderTest>)();
    const db = await store.open();
    generations = createKyselyGenerationRepository(db);
    uploads = createKyselyUploadRepository(db);
  });
  afterAll(async () => {
    await generations?.close();
    await store?.cleanup();
  });

  it("keeps every field as it was written, and a generation made from it says so", async () => {
    const written = upload();
    await uploads.insert(written);
    expect(await uploads.findById(written.id)).toEqual(written);
    expect(await uploads.findById("no-such-upload")).toBeUndefined();
    const generation = fromUpload(written);
    await generations.insert(generation);
    expect((await generations.findById(generation.id))?.uploadId).toBe(written.id);
  });

  it("is kept while any generation uses it, and deleted once none does", async () => {
    const shared = upload();
    await uploads.insert(shared);
    const [first, second] = [fromUpload(shared), fromUpload(shared)];
    for (const generation of [first, second]) await generations.insert(generation);

    await generations.delete(first.id);
    expect(await uploads.deleteIfUnused(shared.id)).toBeUndefined();
    expect(await uploads.findById(shared.id)).toEqual(shared);

    await generations.delete(second.id);
    expect(await uploads.deleteIfUnused(shared.id)).toEqual(shared);
    expect(await uploads.deleteIfUnused(shared.id)).toBeUndefined();
    expect(await uploads.findById(shared.id)).toBeUndefined();
  });

  it("lists for the sweep only uploads that are past their time and unused, and counts the bytes unused ones hold", async () => {
    const isolated = await (stores[kind] as () => Promise<StoreUnderTest>)();
    const db = await isolated.open();
    const [ownGenerations, ownUploads] = [createKyselyGenerationRepository(db), createKyselyUploadRepository(db)];
    try {
      const at = (iso: string) => ({ createdAt: "2026-11-29T00:00:00.000Z", expiresAt: iso });
      const expiredUnused = upload({ ...at("2026-11-30T08:00:00.000Z"), bytes: 1_000 });
      const expiredEarlier = upload({ ...at("2026-11-30T07:00:00.000Z"), bytes: 2_000 });
      const expiredInUse = upload({ ...at("2026-11-30T06:00:00.000Z"), bytes: 4_000 });
      const fresh = upload({ ...at("2026-11-30T12:00:00.000Z"), bytes: 8_000 });
      for (const item of [expiredUnused, expiredEarlier, expiredInUse, fresh]) await ownUploads.insert(item);
      await ownGenerations.insert(fromUpload(expiredInUse));

      const now = { now: "2026-11-30T10:00:00.000Z", failedBefore: "2026-11-29T10:00:00.000Z" };
      expect((await ownUploads.listExpired(now, 10)).map((item) => item.id)).toEqual([expiredEarlier.id, expiredUnused.id]);
      expect((await ownUploads.listExpired(now, 1)).map((item) => item.id)).toEqual([expiredEarlier.id]);
      expect(await ownUploads.unusedBytes()).toBe(1_000 + 2_000 + 8_000);

      // The sweep's delete re-checks the time: a fresh upload is not taken, an expired one is.
      expect(await ownUploads.deleteIfExpired(fresh.id, now)).toBeUndefined();
      expect(await ownUploads.deleteIfExpired(expiredInUse.id, now)).toBeUndefined();
      expect(await ownUploads.deleteIfExpired(expiredUnused.id, now)).toEqual(expiredUnused);
      expect(await ownUploads.unusedBytes()).toBe(2_000 + 8_000);
    } finally {
      await ownGenerations.close();
      await isolated.cleanup();
    }
  });

  it("counts an upload only failed generations use as unused, and sweeps it a full time after the last failure, unlinking them", async () => {
    const isolated = await (stores[kind] as () => Promise<StoreUnderTest>)();
    const db = await isolated.open();
    const [ownGenerations, ownUploads] = [createKyselyGenerationRepository(db), createKyselyUploadRepository(db)];
    const failAt = (id: string, completedAt: string) => ownGenerations.update(id, { kind: "failed", code: "refused", message: "Refused.", completedAt });
    try {
      const expiresAt = "2026-11-30T00:00:00.000Z";
      const failedOnly = upload({ expiresAt, bytes: 1_000 });
      const alsoRunning = upload({ expiresAt, bytes: 2_000 });
      const alsoSucceeded = upload({ expiresAt, bytes: 4_000 });
      for (const item of [failedOnly, alsoRunning, alsoSucceeded]) await ownUploads.insert(item);
      const [early, late] = [fromUpload(failedOnly), fromUpload(failedOnly)];
      const running = [fromUpload(alsoRunning), fromUpload(alsoRunning)];
      const succeeded = [fromUpload(alsoSucceeded), { ...fromUpload(alsoSucceeded), status: "succeeded" as const, resultKey: "results/x.mp4" }];
      for (const generation of [early, late, ...running, ...succeeded]) await ownGenerations.insert(generation);
      expect(await ownUploads.unusedBytes()).toBe(0);
      await failAt(early.id, "2026-11-30T01:00:00.000Z");
      await failAt(late.id, "2026-11-30T05:00:00.000Z");
      await failAt(running[0]!.id, "2026-11-30T01:00:00.000Z");
      await failAt(succeeded[0]!.id, "2026-11-30T01:00:00.000Z");
      expect(await ownUploads.unusedBytes()).toBe(1_000);

      // Kept until a full time (here a day) after its last generation failed, not after its first.
      const before = { now: "2026-12-01T04:00:00.000Z", failedBefore: "2026-11-30T04:00:00.000Z" };
      expect(await ownUploads.listExpired(before, 10)).toEqual([]);
      expect(await ownUploads.isExpired(failedOnly.id, before)).toBe(false);
      expect(await ownUploads.deleteIfExpired(failedOnly.id, before)).toBeUndefined();

      const after = { now: "2026-12-01T06:00:00.000Z", failedBefore: "2026-11-30T06:00:00.000Z" };
      expect((await ownUploads.listExpired(after, 10)).map((item) => item.id)).toEqual([failedOnly.id]);
      for (const kept of [alsoRunning, alsoSucceeded]) {
        expect(await ownUploads.isExpired(kept.id, after)).toBe(false);
        expect(await ownUploads.deleteIfExpired(kept.id, after)).toBeUndefined();
      }
      expect(await ownUploads.isExpired(failedOnly.id, after)).toBe(true);
      expect(await ownUploads.deleteIfExpired(failedOnly.id, after)).toEqual(failedOnly);
      expect(await ownUploads.findById(failedOnly.id)).toBeUndefined();
      expect(await ownUploads.unusedBytes()).toBe(0);
      // The failed generations stay, no longer linked to the portrait that went.
      for (const { id } of [early, late]) expect(await ownGenerations.findById(id)).toMatchObject({ status: "failed", uploadId: null });
      for (const { id } of [...running, ...succeeded]) expect((await ownGenerations.findById(id))?.uploadId).not.toBeNull();
    } finally {
      await ownGenerations.close();
      await isolated.cleanup();
    }
  });

  it("refuses a generation made from an upload it does not hold", async () => {
    const ghost = upload();
    await expect(generations.insert(fromUpload(ghost))).rejects.toThrow();
    expect(await generations.list({ limit: 100 }).then((page) => page.items.some((item) => item.uploadId === ghost.id))).toBe(false);
  });

  it("lets exactly one of several instances sweep an upload", async () => {
    const contested = upload({ expiresAt: "2026-11-20T00:00:00.000Z" });
    await uploads.insert(contested);
    const attempts = await Promise.all(Array.from({ length: 8 }, () => uploads.deleteIfExpired(contested.id, sweptNow())));
    expect(attempts.filter(Boolean)).toEqual([contested]);
  });

  it("never leaves a generation without its upload when a create and a sweep race", async () => {
    // A second connection pool on Postgres (another instance); the same file on SQLite.
    const otherDb = await store.open();
    const other = createKyselyUploadRepository(otherDb);
    try {
      for (let round = 0; round < 12; round++) {
        const contested = upload({ expiresAt: "2026-11-20T00:00:00.000Z" });
        await uploads.insert(contested);
        const generation = fromUpload(contested);
        const [created, swept] = await Promise.allSettled([generations.insert(generation), other.deleteIfExpired(contested.id, sweptNow())]);
        const stored = await generations.findById(generation.id);
        const kept = await uploads.findById(contested.id);
        if (stored) {
          expect(created.status).toBe("fulfilled");
          expect(kept).toEqual(contested);
          // The sweep took nothing: it found the upload in use, or (SQLite, another connection writing) was told to try again.
          if (swept.status === "fulfilled") expect(swept.value).toBeUndefined();
          else expect(swept.reason).toMatchObject({ code: expect.stringMatching(/^SQLITE_BUSY/) as unknown });
        } else {
          expect(created.status).toBe("rejected");
          expect(kept).toBeUndefined();
        }
      }
    } finally {
      await otherDb.destroy();
    }
  });

  it("a retry racing the sweep of a failed generation's upload either keeps it, linked, or finds it gone, unlinked", async () => {
    // Another instance on Postgres; on SQLite the one process's one connection, which takes transactions in turn.
    const otherDb = kind === "Postgres server" ? await store.open() : undefined;
    const other = otherDb ? createKyselyUploadRepository(otherDb) : uploads;
    try {
      for (let round = 0; round < 12; round++) {
        const contested = upload({ expiresAt: "2026-11-20T00:00:00.000Z" });
        await uploads.insert(contested);
        const failed = fromUpload(contested);
        await generations.insert(failed);
        await generations.update(failed.id, { kind: "failed", code: "refused", message: "Refused.", completedAt: "2026-11-20T00:00:00.000Z" });
        const retry = fromUpload(contested);
        const [created] = await Promise.allSettled([generations.insert(retry), other.deleteIfExpired(contested.id, sweptNow())]);
        const kept = await uploads.findById(contested.id);
        const failedNow = await generations.findById(failed.id);
        if (await generations.findById(retry.id)) {
          expect(created.status).toBe("fulfilled");
          expect(kept).toEqual(contested);
          expect(failedNow?.uploadId).toBe(contested.id);
        } else {
          expect(created.status).toBe("rejected");
          expect(kept).toBeUndefined();
          expect(failedNow?.uploadId).toBeNull();
        }
      }
    } finally {
      await otherDb?.destroy();
    }
  });

  it("gives every generation stored before uploads existed an upload of its own, on the same file", async () => {
    const isolated = await (stores[kind] as () => Promise<StoreUnderTest>)();
    const db = isolated.openUnmigrated();
    try {
      const { error } = await new Migrator({ db, provider: migrationProvider }).migrateTo("2026-11-25-003-tracker-claims");
      expect(error).toBeUndefined();
      const old = record();
      await (db as unknown as Kysely<Record<string, Record<string, unknown>>>).insertInto("generations").values(rowOf(old)).execute();
      await migrate(db);
      const migrated = await createKyselyGenerationRepository(db).findById(old.id);
      expect(migrated).toEqual({ ...old, uploadId: old.id });
      expect(await createKyselyUploadRepository(db).findById(old.id)).toEqual({
        id: old.id,
        mediaKey: old.inputKey,
        width: old.inputWidth,
        height: old.inputHeight,
        bytes: null,
        createdAt: old.createdAt,
        expiresAt: old.createdAt,
      });
    } finally {
      await db.destroy();
      await isolated.cleanup();
    }
  });
});

/** A generation as the row the first migrations knew. */
function rowOf(generation: GenerationRecord) {
  return {
    id: generation.id,
    share_token: generation.shareToken,
    hide_prompt: 0,
    status: generation.status,
    mode: generation.mode,
    prompt: generation.prompt,
    prompt_optimizer: generation.promptOptimizer ? 1 : 0,
    watermark: generation.watermark ? 1 : 0,
    input_key: generation.inputKey,
    input_width: generation.inputWidth,
    input_height: generation.inputHeight,
    submit_state: generation.submitState,
    upstream_task_id: null,
    progress: null,
    cost_usd: null,
    error_code: null,
    error_message: null,
    result_url: null,
    result_key: null,
    result_bytes: null,
    callback_secret: generation.callbackSecret,
    idempotency_key: null,
    created_at: generation.createdAt,
    updated_at: generation.updatedAt,
    completed_at: null,
    claimed_by: null,
    claim_expires_at: null,
  };
}
