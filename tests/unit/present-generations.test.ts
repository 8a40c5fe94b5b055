import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Kysely } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { aGeneration } from "../support/fakes/generation-record";
import { createInMemoryMediaStore } from "../support/fakes/in-memory-media-store";
import { sendCreate } from "../support/fakes/generation-steps";
import type { GenerationRecord } from "@/lib/generations/generation-record";
import type { GenerationRepository } from "@/lib/generations/generation-repository";
import { generationPresenter, streamPresenter, type ViewSources } from "@/lib/generations/present-generations";
import { createDerivativeService } from "@/lib/media/derivatives/derivative-service";
import type { DerivativeRecord } from "@/lib/media/derivatives/derivative-record";
import type { DerivativeRunner } from "@/lib/media/derivatives/derivative-runner";
import { createKyselyQueueStore } from "@/lib/queue/kysely-queue-store";
import { createQueueService } from "@/lib/queue/queue-service";
import { sharedVideoFrom } from "@/lib/share/load-share-card";
import { createKyselyDerivativeRepository } from "@/lib/store/kysely-derivative-repository";
import { createKyselyGenerationRepository } from "@/lib/store/kysely-generation-repository";
import { openSqlite } from "@/lib/store/open-sqlite";
import type { Database } from "@/lib/store/schema";
import type { TakeStore } from "@/lib/takes/kysely-take-store";
import { createTakeService } from "@/lib/takes/take-service";

/** Wraps a store so every method call is counted by name: what one view costs the database. */
function counted<T extends object>(target: T, name: string, calls: string[]): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      const value: unknown = Reflect.get(object, property, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        calls.push(`${name}.${String(property)}`);
        return (value as (...rest: unknown[]) => unknown).apply(object, args);
      };
    },
  });
}

const never = () => {
  throw new Error("not used by views");
};

describe("a generation's view", () => {
  let dir: string;
  let db: Kysely<Database>;
  let generations: GenerationRepository;
  let calls: string[];
  let sources: ViewSources;
  /** Which generations are in a set, and the set's favourite (the take store's only read views use). */
  let memberships: Map<string, { setId: string; favouriteId: string | null }>;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "portrait-live-view-"));
    db = await openSqlite(path.join(dir, "portrait-live.sqlite"));
    generations = createKyselyGenerationRepository(db);
    calls = [];
    memberships = new Map();
    const startedAt = new Date();
    const takeStore = {
      setsOf: async (ids: readonly string[]) => new Map(ids.flatMap((id) => (memberships.has(id) ? [[id, memberships.get(id)!] as const] : []))),
    };
    const takes = createTakeService({
      store: counted(takeStore as unknown as TakeStore, "takes", calls),
      repository: { findById: never, insert: never, insertSet: never },
      removeGenerations: never,
      uploads: { store: never, usable: never, release: never },
      tracker: { kick: never },
      guard: { admit: never } as never,
      mode: "live",
    });
    const queue = createQueueService({
      store: counted(createKyselyQueueStore(db, 2), "queue", calls),
      repository: { findById: never, listSpend: never, update: never },
      tracker: { forget: never },
      maxInFlight: 2,
      maxQueued: 10,
      costEstimateUsd: "0.30",
      typicalDurationMs: 90_000,
      // One moment for every view, so estimates compare equal.
      now: () => startedAt,
    });
    const runner: DerivativeRunner = { probe: never, remux: never, frame: never, preview: never, light: never, loop: never };
    const derivativeRepository = createKyselyDerivativeRepository(db);
    const derivatives = createDerivativeService({
      repository: counted(derivativeRepository, "derivatives", calls),
      media: createInMemoryMediaStore(),
      runner,
      findGeneration: never,
      instanceId: "unit",
      log: { info: () => undefined, warn: () => undefined },
      maxBytes: 1,
    });
    sources = { viewContext: {}, takes, queue, derivatives };
  });
  afterEach(async () => {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The result is stored. */
  async function store(id: string): Promise<GenerationRecord> {
    const stored = await generations.update(id, { kind: "stored", resultKey: `videos/${id}.mp4`, resultBytes: 1, completedAt: new Date().toISOString() });
    if (!stored) throw new Error(`could not store ${id}`);
    return stored;
  }

  /** Its frame and remux are made: ffmpeg measured 720×960 (the 2:3 portrait asked for 720×1080). */
  async function measure(id: string): Promise<void> {
    const repository = createKyselyDerivativeRepository(db);
    for (const kind of ["frame", "web"] as const) await repository.request({ generationId: id, kind, pingPong: false }, 0, new Date().toISOString());
    for (;;) {
      const job = await repository.claimNext("worker", new Date().toISOString(), new Date(Date.now() + 60_000).toISOString());
      if (!job) break;
      await repository.finish(
        job,
        "worker",
        { state: "ready", mediaKey: `derived/${id}/${job.kind}`, bytes: 1, width: 720, height: 960 },
        new Date().toISOString(),
      );
    }
  }

  async function succeededAndDerived(): Promise<GenerationRecord> {
    const record = aGeneration({ inputWidth: 800, inputHeight: 1200 });
    await generations.insert(record);
    await sendCreate(generations, record.id);
    await generations.update(record.id, { kind: "submitted", upstreamTaskId: "task" });
    const stored = await store(record.id);
    await measure(record.id);
    return stored;
  }

  it("of a finished generation costs one read of its set and one of its derived media (was: one and two)", async () => {
    const record = await succeededAndDerived();
    const view = await generationPresenter(sources).presentOne(record);
    expect(view).toMatchObject({ videoWidth: 720, videoHeight: 960, webVideoUrl: `/api/generations/${record.id}/video?rendition=web`, lightVideoUrl: null });
    expect(calls.sort()).toEqual(["derivatives.listForMany", "takes.setsOf"]);
  });

  it("of many generations costs one read per source, and each view is the one it gets alone", async () => {
    const finished = [await succeededAndDerived(), await succeededAndDerived()];
    // A millisecond apart, so the queue's order is theirs.
    const waiting = [0, 1].map((offset) => aGeneration({ createdAt: new Date(Date.now() + offset).toISOString() }));
    for (const record of waiting) await generations.insert(record);
    memberships.set(finished[0]!.id, { setId: "set-1", favouriteId: finished[0]!.id });
    memberships.set(waiting[1]!.id, { setId: "set-1", favouriteId: finished[0]!.id });
    const records = [finished[0]!, waiting[0]!, finished[1]!, waiting[1]!];
    const views = await generationPresenter(sources).present(records);
    expect(calls.sort()).toEqual(["derivatives.listForMany", "queue.snapshot", "takes.setsOf"]);
    expect(views.map((view) => view.id)).toEqual(records.map((record) => record.id));
    expect(views.map((view) => [view.takeSetId, view.favourite, view.queuePosition, view.videoWidth])).toEqual([
      ["set-1", true, undefined, 720],
      [undefined, undefined, 1, undefined],
      [undefined, undefined, undefined, 720],
      ["set-1", false, 2, undefined],
    ]);
    const alone = await Promise.all(records.map((record) => generationPresenter(sources).presentOne(record)));
    expect(views).toEqual(alone);
    expect(JSON.stringify(views)).toBe(JSON.stringify(alone));
  });

  it("of no generation reads nothing", async () => {
    expect(await generationPresenter(sources).present([])).toEqual([]);
    expect(calls).toEqual([]);
  });

  it("of a waiting generation reads its set and the queue, and no derived media", async () => {
    const record = aGeneration();
    await generations.insert(record);
    const view = await generationPresenter(sources).presentOne(record);
    expect(view.queuePosition).toBe(1);
    expect(calls.sort()).toEqual(["queue.snapshot", "takes.setsOf"]);
  });

  it("in an event stream does not repeat lookups a change cannot alter: 3 reads for 6 changes (was: 9)", async () => {
    const viewOf = streamPresenter(sources).presentOne;
    const record = aGeneration({ inputWidth: 800, inputHeight: 1200 });
    await generations.insert(record);
    const seen = [await viewOf(record)];
    await sendCreate(generations, record.id);
    for (const progress of [0.2, 0.5, 0.8]) {
      const updated = await generations.update(record.id, { kind: "progress", status: "processing", progress });
      seen.push(await viewOf(updated!));
    }
    seen.push(await viewOf((await generations.update(record.id, { kind: "result_ready", resultUrl: "https://cdn.example/r.mp4", costUsd: null }))!));
    const done = await store(record.id);
    await measure(record.id);
    seen.push(await viewOf(done));
    expect(seen.map((view) => view.status)).toEqual(["queued", "processing", "processing", "processing", "processing", "succeeded"]);
    expect(seen.at(-1)).toMatchObject({ videoWidth: 720, videoHeight: 960 });
    // The set once (a generation in none never joins one), the queue while it waits, derived media once it has succeeded.
    expect(calls).toEqual(["takes.setsOf", "queue.snapshot", "derivatives.listForMany"]);
  });

  it("of a take keeps reading its set, whose favourite may change, and shows the change", async () => {
    const record = aGeneration();
    await generations.insert(record);
    memberships.set(record.id, { setId: "set-1", favouriteId: null });
    const viewOf = streamPresenter(sources).presentOne;
    expect(await viewOf(record)).toMatchObject({ takeSetId: "set-1", favourite: false });
    memberships.set(record.id, { setId: "set-1", favouriteId: record.id });
    expect(await viewOf(record)).toMatchObject({ takeSetId: "set-1", favourite: true });
    expect(calls.filter((call) => call === "takes.setsOf")).toHaveLength(2);
  });

  it("shows the same size as the share card built from the same derived media; before it is measured the card falls back to the size asked for", async () => {
    const record = await succeededAndDerived();
    const jobs: DerivativeRecord[] = (await sources.derivatives.listForMany([record.id])).get(record.id) ?? [];
    const view = await generationPresenter(sources).presentOne(record);
    const { card } = sharedVideoFrom(record, "token", "https://clips.example", jobs);
    expect({ width: card.width, height: card.height }).toEqual({ width: view.videoWidth, height: view.videoHeight });
    const unmeasured = sharedVideoFrom(record, "token", "https://clips.example", []);
    expect({ width: unmeasured.card.width, height: unmeasured.card.height }).toEqual({ width: 720, height: 1080 });
  });
});
