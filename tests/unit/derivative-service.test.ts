import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { aGeneration } from "../support/fakes/generation-record";
import { type GenerationRecord } from "@/lib/generations/generation-record";
import { newGenerationId, newShareToken } from "@/lib/generations/ids";
import { createDerivativeService, type DerivativeService } from "@/lib/media/derivatives/derivative-service";
import type { DerivativeRunner } from "@/lib/media/derivatives/derivative-runner";
import { measuredSize } from "@/lib/media/derivatives/video-dimensions";
import { createLocalMediaStore } from "@/lib/media/local-media-store";
import type { MediaStore } from "@/lib/media/media-store";
import { createKyselyDerivativeRepository } from "@/lib/store/kysely-derivative-repository";
import { createKyselyGenerationRepository } from "@/lib/store/kysely-generation-repository";
import { openSqlite } from "@/lib/store/open-sqlite";

/** An MP4-looking file (the media store checks for an ftyp box). */
const MP4 = Buffer.concat([Buffer.from([0, 0, 0, 16]), Buffer.from("ftypisom"), Buffer.alloc(4), Buffer.alloc(64, 7)]);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A runner that writes small files, counts runs and how many overlap, and fails loops when told. */
function fakeRunner(options: { failLoops?: boolean } = {}) {
  let running = 0;
  const stats = { runs: 0, loopRuns: 0, maxOverlap: 0, order: [] as string[] };
  const work = async (output: string, file: Buffer = MP4) => {
    stats.runs++;
    stats.order.push(path.basename(output));
    running++;
    stats.maxOverlap = Math.max(stats.maxOverlap, running);
    await sleep(30);
    running--;
    writeFileSync(output, file);
  };
  const runner: DerivativeRunner = {
    probe: async () => ({ width: 720, height: 960, durationSeconds: 6, codec: "h264", videoStreams: 1 }),
    remux: (_input, output) => work(output),
    frame: (_input, output) => work(output),
    preview: async (_input, output) =>
      work(
        output,
        await sharp({ create: { width: 540, height: 720, channels: 3, background: "#808080" } })
          .webp()
          .toBuffer(),
      ),
    light: (_input, output) => work(output),
    loop: async (_input, output) => {
      stats.loopRuns++;
      if (options.failLoops) {
        throw new Error("ffmpeg exited with 1: broken");
      }
      await work(output);
    },
  };
  return { runner, stats };
}

describe("the derived-media queue", () => {
  let dir: string;
  let media: MediaStore;
  let service: DerivativeService | undefined;
  let generation: GenerationRecord;
  let close: () => Promise<void>;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "portrait-live-derive-unit-"));
    media = createLocalMediaStore(path.join(dir, "media"));
    const id = newGenerationId();
    generation = aGeneration({ id, shareToken: newShareToken() }, { status: "succeeded", resultKey: `videos/${id}.mp4` });
    await media.putBuffer(`videos/${id}.mp4`, MP4);
  });
  afterEach(async () => {
    await service?.stop();
    await close?.();
    rmSync(dir, { recursive: true, force: true });
  });

  async function start(runner: DerivativeRunner) {
    const db = await openSqlite(path.join(dir, "portrait-live.sqlite"));
    const generations = createKyselyGenerationRepository(db);
    close = () => generations.close();
    // The sweep drops jobs of generations that are gone, so this one is stored.
    await generations.insert(generation);
    const repository = createKyselyDerivativeRepository(db);
    service = createDerivativeService({
      repository,
      media,
      runner,
      findGeneration: async (id) => (id === generation.id ? generation : undefined),
      instanceId: "unit-instance",
      log: { info: () => undefined, warn: () => undefined },
      maxBytes: 10_000_000,
      sweepMs: 60_000,
    });
    await service.start();
    return { service, repository };
  }

  it("runs one ffmpeg at a time and makes each file once", async () => {
    const { runner, stats } = fakeRunner();
    const { service } = await start(runner);
    await Promise.all([service.ensureBase(generation.id), service.ensureBase(generation.id), service.requestLoop(generation.id, "gif", false)]);
    await service.requestLoop(generation.id, "gif", false).catch(() => undefined);
    await expect
      .poll(async () => (await service.listFor(generation.id)).every((job) => job.state !== "queued" && job.state !== "running"), { timeout: 5_000 })
      .toBe(true);
    expect(stats.maxOverlap).toBe(1);
    // The GIF's fake output is not an image, so that job ends failed; the others are made once each.
    const jobs = await service.listFor(generation.id);
    expect(jobs.filter((job) => job.kind !== "gif").map((job) => [job.kind, job.state, job.runs])).toEqual(
      expect.arrayContaining([
        ["preview", "ready", 1],
        ["frame", "ready", 1],
        ["web", "ready", 1],
        ["light", "ready", 1],
      ]),
    );
    expect(await service.readyKey(generation, "web")).toBe(`derived/${generation.id}/web.mp4`);
    // What a page shows first is made first.
    expect(stats.order.slice(0, 2)).toEqual(["preview.webp", "frame.jpg"]);
    expect((await service.find({ generationId: generation.id, kind: "preview", pingPong: false }))?.width).toBe(540);
    expect(measuredSize(await service.listFor(generation.id))).toEqual({ width: 720, height: 960 });
  });

  it("retries a failing job three times, then reports it failed with a plain message; asking again retries", async () => {
    const { runner, stats } = fakeRunner({ failLoops: true });
    const { service } = await start(runner);
    await service.requestLoop(generation.id, "webp", true);
    await expect
      .poll(async () => (await service.find({ generationId: generation.id, kind: "webp", pingPong: true }))?.state, { timeout: 5_000 })
      .toBe("failed");
    const failed = await service.find({ generationId: generation.id, kind: "webp", pingPong: true });
    expect(failed).toMatchObject({ runs: 3, error: "The file could not be made from this video." });
    expect(stats.loopRuns).toBe(3);
    expect((await service.requestLoop(generation.id, "webp", true)).state).toBe("queued");
  });
  it("removeAll takes every made file, job row and the owner's loop setting, even of a generation with no poster", async () => {
    const { runner } = fakeRunner();
    const { service } = await start(runner);
    await service.ensureBase(generation.id);
    await expect.poll(async () => (await service.listFor(generation.id)).every((job) => job.state === "ready"), { timeout: 5_000 }).toBe(true);
    await service.setShareLoops(generation.id, false);
    await service.removeAll(generation.id);
    expect(await service.listFor(generation.id)).toEqual([]);
    for (const name of ["frame.jpg", "preview.webp", "web.mp4", "light.mp4"]) expect(await media.stat(`derived/${generation.id}/${name}`)).toBeNull();
    expect(await service.shareLoops(generation.id)).toBe(true);

    // A failed generation never had derived media, yet its owner may have changed the setting.
    const failed = newGenerationId();
    await service.setShareLoops(failed, false);
    await service.removeAll(failed);
    expect(await service.shareLoops(failed)).toBe(true);
  });
});

describe("the local media folder's start-up sweep", () => {
  it("removes what an interrupted derived-media write left, and keeps made files", async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), "portrait-live-derive-sweep-"));
    try {
      const store = createLocalMediaStore(root);
      const id = newGenerationId();
      await store.putBuffer(`derived/${id}/poster.jpg`, Buffer.from([0xff, 0xd8, 0xff]));
      writeFileSync(path.join(root, "derived", id, "web.mp4.x1Y2z3W4.partial"), Buffer.alloc(1024));
      expect(await store.sweep()).toEqual({ removed: 1 });
      expect(await store.stat(`derived/${id}/poster.jpg`)).toMatchObject({ bytes: 3 });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
