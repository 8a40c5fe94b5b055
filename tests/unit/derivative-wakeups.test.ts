import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { aGeneration } from "../support/fakes/generation-record";
import { createInMemoryGenerationRepository } from "../support/fakes/in-memory-generation-repository";
import { createInMemoryMediaStore } from "../support/fakes/in-memory-media-store";
import { sendCreate } from "../support/fakes/generation-steps";
import { createProcessCoordination } from "@/lib/coordination/process-coordination";
import type { GenerationRecord } from "@/lib/generations/generation-record";
import type { GenerationRepository } from "@/lib/generations/generation-repository";
import { createDerivativeService, type DerivativeService, type DerivativeServiceOptions } from "@/lib/media/derivatives/derivative-service";
import type { DerivativeRunner } from "@/lib/media/derivatives/derivative-runner";
import type { DerivativeKind } from "@/lib/media/derivatives/derivative-record";
import { createKyselyDerivativeRepository } from "@/lib/store/kysely-derivative-repository";
import { createKyselyGenerationRepository } from "@/lib/store/kysely-generation-repository";
import { observeWrites } from "@/lib/store/observed-repository";
import { openSqlite } from "@/lib/store/open-sqlite";

/** An MP4-looking file (the media store checks for an ftyp box). */
const MP4 = Buffer.concat([Buffer.from([0, 0, 0, 16]), Buffer.from("ftypisom"), Buffer.alloc(4), Buffer.alloc(64, 7)]);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const silent = { info: () => undefined, warn: () => undefined };

/** A runner that records which files it made; while `hold` is pending, every job waits for it. */
function recordingRunner(hold?: Promise<void>) {
  const made: DerivativeKind[] = [];
  const work =
    (kind: DerivativeKind, file: () => Promise<Buffer> = async () => MP4) =>
    async (_input: string, output: string) => {
      await hold;
      writeFileSync(output, await file());
      made.push(kind);
    };
  const runner: DerivativeRunner = {
    probe: async () => ({ width: 720, height: 960, durationSeconds: 6, codec: "h264", videoStreams: 1 }),
    remux: work("web"),
    frame: work("frame"),
    preview: work("preview", () =>
      sharp({ create: { width: 540, height: 720, channels: 3, background: "#808080" } })
        .webp()
        .toBuffer(),
    ),
    light: work("light"),
    loop: async () => {
      throw new Error("no loops here");
    },
  };
  return { runner, made };
}

describe("derived-media work reaches every instance's worker", () => {
  let dir: string;
  const services: DerivativeService[] = [];
  const releases: Array<() => void> = [];
  let close: () => Promise<void> = async () => undefined;

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "portrait-live-derive-wake-"));
  });
  afterEach(async () => {
    for (const release of releases.splice(0)) release();
    for (const service of services.splice(0)) await service.stop();
    await close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Two instances on one database; the generation is stored as still running so no start-up sweep queues it. */
  async function twoInstances(buses: { a: DerivativeServiceOptions["bus"]; b: DerivativeServiceOptions["bus"] }, sweepMs: number) {
    const db = await openSqlite(path.join(dir, "portrait-live.sqlite"));
    const generationsTable = createKyselyGenerationRepository(db);
    close = () => generationsTable.close();
    const generation = aGeneration({}, { status: "processing" });
    await generationsTable.insert(generation);
    const succeeded: GenerationRecord = { ...generation, status: "succeeded", resultKey: `videos/${generation.id}.mp4` };
    const media = createInMemoryMediaStore();
    await media.putBuffer(`videos/${generation.id}.mp4`, MP4);
    const repository = createKyselyDerivativeRepository(db);
    let release = () => undefined as void;
    const held = new Promise<void>((resolve) => (release = resolve));
    releases.push(() => release());
    const a = recordingRunner(held);
    const b = recordingRunner();
    const instance = (instanceId: string, runner: DerivativeRunner, bus: DerivativeServiceOptions["bus"]) =>
      createDerivativeService({
        repository,
        media,
        runner,
        findGeneration: async (id) => (id === generation.id ? succeeded : undefined),
        instanceId,
        log: silent,
        maxBytes: 10_000_000,
        sweepMs,
        bus,
      });
    const serviceA = instance("instance-a", a.runner, buses.a);
    const serviceB = instance("instance-b", b.runner, buses.b);
    services.push(serviceA, serviceB);
    await serviceA.start();
    await serviceB.start();
    // Let both start-up sweeps find nothing to do first.
    await sleep(100);
    return { generation, repository, serviceA, madeByA: a.made, madeByB: b.made, release };
  }

  it("a job queued on instance A is started by instance B's worker at once, without waiting for a poll", async () => {
    const bus = createProcessCoordination();
    const { generation, serviceA, madeByA, madeByB, release } = await twoInstances({ a: bus, b: bus }, 600_000);
    const queuedAt = Date.now();
    // A's one worker takes the first job (the preview) and is held there; the rest must go to B.
    await serviceA.ensureBase(generation.id);
    // B makes the poster first, then the web remux: wait for the remux (a busy machine may be between the two).
    await expect.poll(() => [...madeByB], { timeout: 3_000, interval: 20 }).toEqual(expect.arrayContaining(["web"]));
    const waitedMs = Date.now() - queuedAt;
    expect(madeByA).toEqual([]);
    // The old worker looked every 5 s; a bus message needs no poll.
    expect(waitedMs).toBeLessThan(3_000);
    release();
    await expect
      .poll(async () => (await serviceA.listFor(generation.id)).map((job) => job.state).sort(), { timeout: 5_000 })
      .toEqual(["ready", "ready", "ready", "ready"]);
  });

  it("a lost message is made up for by the slow safety sweep", async () => {
    // B hears nothing A says (a bus of its own): only its sweep can find the work.
    const { generation, serviceA, madeByB, release } = await twoInstances({ a: createProcessCoordination(), b: createProcessCoordination() }, 300);
    await serviceA.ensureBase(generation.id);
    await expect.poll(() => madeByB.length, { timeout: 5_000, interval: 20 }).toBeGreaterThan(0);
    release();
  });
});

describe("noticing writes to generations", () => {
  it("reads nothing from the store for writes that do not store a result, and queues the derived media when one is stored", async () => {
    const base = createInMemoryGenerationRepository();
    let reads = 0;
    const counted: GenerationRepository = {
      ...base,
      findById: (id) => {
        reads++;
        return base.findById(id);
      },
    };
    const dir = mkdtempSync(path.join(os.tmpdir(), "portrait-live-derive-notice-"));
    const db = await openSqlite(path.join(dir, "portrait-live.sqlite"));
    const media = createInMemoryMediaStore();
    const { runner } = recordingRunner();
    const derivatives = createDerivativeService({
      repository: createKyselyDerivativeRepository(db),
      media,
      runner,
      findGeneration: (id) => counted.findById(id),
      instanceId: "unit-instance",
      log: silent,
      maxBytes: 10_000_000,
    });
    // Wired as the server wires it.
    const repository = observeWrites(counted, (id, transition) => derivatives.noticeChange(id, transition));
    try {
      const generation = aGeneration();
      await repository.insert(generation);
      await sendCreate(repository, generation.id);
      await repository.update(generation.id, { kind: "submitted", upstreamTaskId: "task-1" });
      for (let step = 1; step <= 10; step++) await repository.update(generation.id, { kind: "progress", status: "processing", progress: step / 10 });
      await repository.update(generation.id, { kind: "result_ready", resultUrl: "https://cdn.example/r.mp4", costUsd: null });
      await sleep(50);
      expect(reads).toBe(0);
      expect(await derivatives.listFor(generation.id)).toEqual([]);

      await media.putBuffer(`videos/${generation.id}.mp4`, MP4);
      await repository.update(generation.id, {
        kind: "stored",
        resultKey: `videos/${generation.id}.mp4`,
        resultBytes: MP4.length,
        completedAt: new Date().toISOString(),
      });
      await expect
        .poll(async () => (await derivatives.listFor(generation.id)).map((job) => job.kind).sort(), { timeout: 3_000 })
        .toEqual(["frame", "light", "preview", "web"]);
      // Later writes (a share link, hiding the prompt) cost no read either.
      await repository.update(generation.id, { kind: "hide_prompt", hidePrompt: true });
      await sleep(50);
      await expect.poll(async () => (await derivatives.listFor(generation.id)).every((job) => job.state === "ready"), { timeout: 5_000 }).toBe(true);
      // The only reads are the worker's, one per file it made.
      expect(reads).toBe(4);
    } finally {
      await derivatives.stop();
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
