import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aGeneration } from "../support/fakes/generation-record";
import type { GenerationRepository } from "@/lib/generations/generation-repository";
import { newGenerationId, newShareToken } from "@/lib/generations/ids";
import type { DerivativeRepository } from "@/lib/media/derivatives/derivative-record";
import { createKyselyDerivativeRepository } from "@/lib/store/kysely-derivative-repository";
import { createKyselyGenerationRepository } from "@/lib/store/kysely-generation-repository";
import { openPostgres } from "@/lib/store/open-postgres";
import { openSqlite } from "@/lib/store/open-sqlite";
import type { Database } from "@/lib/store/schema";
import { startPostgres, type PostgresServer } from "../support/postgres-server";

/** The derived-media job table's contract, on a real SQLite file and a real PostgreSQL server. */
let postgres: PostgresServer;
const dirs: string[] = [];

const stores: Record<string, () => Promise<Kysely<Database>>> = {
  "SQLite file": async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "portrait-live-derivatives-"));
    dirs.push(dir);
    return openSqlite(path.join(dir, "portrait-live.sqlite"));
  },
  "Postgres server": async () => openPostgres(await postgres.createDatabase(`derivatives_${dirs.length}_${Date.now() % 100000}`)),
};

beforeAll(async () => {
  postgres = await startPostgres();
});
afterAll(async () => {
  await postgres?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const at = (seconds: number) => new Date(Date.parse("2026-11-30T10:00:00.000Z") + seconds * 1000).toISOString();

describe.each(Object.keys(stores))("the derived-media job table on a %s", (kind) => {
  let db: Kysely<Database>;
  let generations: GenerationRepository;
  let jobs: DerivativeRepository;

  beforeAll(async () => {
    db = await (stores[kind] as () => Promise<Kysely<Database>>)();
    generations = createKyselyGenerationRepository(db);
    jobs = createKyselyDerivativeRepository(db);
  });
  afterAll(async () => {
    await generations?.close();
  });

  async function generation(status: "succeeded" | "processing" = "succeeded") {
    const id = newGenerationId();
    await generations.insert(
      aGeneration({ id, shareToken: newShareToken(), createdAt: at(0) }, { status, resultKey: status === "succeeded" ? `videos/${id}.mp4` : null }),
    );
    return id;
  }

  it("makes one job however many ask at once, and one worker wins it", async () => {
    const id = await generation();
    const ref = { generationId: id, kind: "gif" as const, pingPong: false };
    const asked = await Promise.all(Array.from({ length: 10 }, () => jobs.request(ref, 1, at(1))));
    expect(new Set(asked.map((job) => job.createdAt)).size).toBe(1);
    expect((await jobs.listFor(id)).length).toBe(1);
    const claims = await Promise.all(["a", "b", "c", "d"].map((owner) => jobs.claimNext(owner, at(2), at(62))));
    const won = claims.filter((claim) => claim?.generationId === id);
    expect(won).toHaveLength(1);
    expect(won[0]).toMatchObject({ state: "running", runs: 1 });
  });

  it("gives a running job to another worker only after its lease ran out, and counts each run", async () => {
    const id = await generation();
    const ref = { generationId: id, kind: "webp" as const, pingPong: true };
    await jobs.request(ref, 0, at(1));
    expect(await jobs.claimNext("first", at(2), at(62))).toMatchObject({ generationId: id, runs: 1 });
    expect((await jobs.claimNext("second", at(30), at(90)))?.generationId).not.toBe(id);
    const taken = await jobs.claimNext("second", at(63), at(123));
    expect(taken).toMatchObject({ generationId: id, runs: 2 });
    // The first worker's late answer changes nothing.
    expect(await jobs.finish(ref, "first", { state: "ready", mediaKey: "x", bytes: 1, width: 1, height: 1 }, at(64))).toBe(false);
    expect(await jobs.finish(ref, "second", { state: "ready", mediaKey: `derived/${id}/loop-pingpong.webp`, bytes: 10, width: 480, height: 640 }, at(65))).toBe(
      true,
    );
    expect(await jobs.find(ref)).toMatchObject({ state: "ready", bytes: 10, width: 480, height: 640, runs: 2 });
  });

  it("queues a restarted instance's running jobs again, and retries a failed one when asked again", async () => {
    const id = await generation();
    const ref = { generationId: id, kind: "light" as const, pingPong: false };
    await jobs.request(ref, -5, at(1));
    expect((await jobs.claimNext("me", at(2), at(62)))?.generationId).toBe(id);
    expect(await jobs.releaseAll("me")).toBe(1);
    expect(await jobs.find(ref)).toMatchObject({ state: "queued" });
    expect((await jobs.claimNext("me", at(3), at(63)))?.generationId).toBe(id);
    await jobs.finish(ref, "me", { state: "failed", error: "broken" }, at(4));
    expect(await jobs.request(ref, -5, at(5))).toMatchObject({ state: "queued", error: null });
  });

  it("lists finished results without derived media, and rows whose generation is gone", async () => {
    const bare = await generation();
    const running = await generation("processing");
    expect(await jobs.listMissing(1000)).toContain(bare);
    expect(await jobs.listMissing(1000)).not.toContain(running);
    await jobs.request({ generationId: bare, kind: "frame", pingPong: false }, 0, at(1));
    expect(await jobs.listMissing(1000)).not.toContain(bare);
    await generations.delete(bare);
    expect((await jobs.listOrphans(1000)).map((job) => job.generationId)).toContain(bare);
  });

  it("keeps the owner's share setting, on by default", async () => {
    const id = await generation();
    expect(await jobs.shareLoops(id)).toBe(true);
    await jobs.setShareLoops(id, false);
    expect(await jobs.shareLoops(id)).toBe(false);
    await jobs.setShareLoops(id, true);
    expect(await jobs.shareLoops(id)).toBe(true);
  });

  it("lists the jobs of several generations in one read, each under its own, as one list per generation would", async () => {
    const [first, second, bare] = [await generation(), await generation(), await generation()];
    for (const kind of ["frame", "web"] as const) await jobs.request({ generationId: first, kind, pingPong: false }, 0, at(1));
    await jobs.request({ generationId: second, kind: "gif", pingPong: true }, 0, at(1));
    const found = await jobs.listForMany([first, second, bare]);
    expect([...found.keys()].sort()).toEqual([first, second].sort());
    const byKind = (list: readonly { kind: string }[] | undefined) => [...(list ?? [])].sort((a, b) => a.kind.localeCompare(b.kind));
    expect(byKind(found.get(first))).toEqual(byKind(await jobs.listFor(first)));
    expect(found.get(second)).toEqual(await jobs.listFor(second));
    expect(found.get(second)).toMatchObject([{ generationId: second, kind: "gif", pingPong: true }]);
    expect(await jobs.listForMany([])).toEqual(new Map());
  });
});
