import { existsSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterEach, describe, expect, it } from "vitest";
import { aGeneration } from "../support/fakes/generation-record";
import { prepareUploadImage } from "@/lib/images/prepare-upload-image";
import { createLocalMediaStore } from "@/lib/media/local-media-store";
import { createKyselyGenerationRepository } from "@/lib/store/kysely-generation-repository";
import { createKyselyUploadRepository } from "@/lib/store/kysely-upload-repository";
import { openSqlite } from "@/lib/store/open-sqlite";
import { createUploadGuard } from "@/lib/uploads/upload-guard";
import { createUploadService } from "@/lib/uploads/upload-service";
import { createUploadSweeper, sweepIntervalFor } from "@/lib/uploads/upload-sweeper";

const HOUR = 3_600_000;
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** The upload service on a real SQLite file and media folder, with a clock the test moves. */
async function setUp() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "portrait-live-uploads-"));
  const db = await openSqlite(path.join(dir, "db.sqlite"));
  closers.push(() => db.destroy());
  const clock = { now: Date.parse("2026-11-30T00:00:00.000Z") };
  const uploadRepository = createKyselyUploadRepository(db);
  const generations = createKyselyGenerationRepository(db);
  const service = createUploadService({
    uploads: uploadRepository,
    media: createLocalMediaStore(path.join(dir, "media")),
    guard: createUploadGuard({ perClientPerMinute: 100, globalPerMinute: 100, unusedMaxBytes: 1e9 }, uploadRepository.unusedBytes),
    ttlMs: 24 * HOUR,
    now: () => new Date(clock.now),
  });
  const image = await prepareUploadImage(
    await sharp({ create: { width: 600, height: 800, channels: 3, background: "#a86" } })
      .jpeg()
      .toBuffer(),
  );
  const fileOf = (key: string) => path.join(dir, "media", key);
  const useIn = async (uploadId: string) => {
    const upload = await uploadRepository.findById(uploadId);
    const record = aGeneration({ inputKey: upload?.mediaKey ?? "", inputWidth: 600, inputHeight: 800, uploadId, createdAt: new Date(clock.now).toISOString() });
    await generations.insert(record);
    return record.id;
  };
  const fail = (id: string) => generations.update(id, { kind: "failed", code: "refused", message: "Refused.", completedAt: new Date(clock.now).toISOString() });
  return { service, clock, image, fileOf, useIn, fail, generations, uploadRepository };
}

describe("the upload service", () => {
  it("answers an upload past its time and unused with 410, before the sweep has run; one in use stays usable", async () => {
    const { service, clock, image, useIn } = await setUp();
    const unused = await service.store(image);
    const used = await service.store(image);
    await useIn(used.id);
    expect(unused.expiresAt).toBe("2026-12-01T00:00:00.000Z");

    clock.now += 24 * HOUR - 1;
    await expect(service.usable(unused.id)).resolves.toMatchObject({ id: unused.id });
    clock.now += 1;
    await expect(service.usable(unused.id)).rejects.toMatchObject({ code: "upload_expired", status: 410, field: "uploadId" });
    await expect(service.usable(used.id)).resolves.toMatchObject({ id: used.id });
    await expect(service.usable("A".repeat(21))).rejects.toMatchObject({ code: "not_found", status: 404, field: "uploadId" });
  });

  it("sweeps only uploads past their time that no generation uses, with their files", async () => {
    const { service, clock, image, fileOf, useIn } = await setUp();
    const early = await service.store(image);
    clock.now += HOUR;
    const later = await service.store(image);
    const used = await service.store(image);
    await useIn(used.id);

    clock.now += 23 * HOUR + 1;
    expect(await service.sweep()).toBe(1);
    expect(existsSync(fileOf(early.mediaKey))).toBe(false);
    expect(existsSync(fileOf(later.mediaKey))).toBe(true);
    await expect(service.usable(early.id)).rejects.toMatchObject({ status: 404 });

    clock.now += 10 * HOUR;
    expect(await service.sweep()).toBe(1);
    expect(existsSync(fileOf(later.mediaKey))).toBe(false);
    expect(existsSync(fileOf(used.mediaKey))).toBe(true);
    expect(await service.sweep()).toBe(0);
  });

  it("lets go of an upload's file when its last generation goes, not before", async () => {
    const { service, image, fileOf, useIn, generations } = await setUp();
    const shared = await service.store(image);
    const [first, second] = [await useIn(shared.id), await useIn(shared.id)];
    await generations.delete(first);
    await service.release(shared.id);
    expect(existsSync(fileOf(shared.mediaKey))).toBe(true);
    await generations.delete(second);
    await service.release(shared.id);
    expect(existsSync(fileOf(shared.mediaKey))).toBe(false);
  });
});

describe("an upload whose every generation failed", () => {
  it("counts as unused, stays usable a full time after the last failure, then is swept; its generations stay", async () => {
    const { service, clock, image, fileOf, useIn, fail, generations, uploadRepository } = await setUp();
    const upload = await service.store(image);
    const [first, second] = [await useIn(upload.id), await useIn(upload.id)];
    expect(await uploadRepository.unusedBytes()).toBe(0);
    await fail(first);
    expect(await uploadRepository.unusedBytes()).toBe(0);
    clock.now += 20 * HOUR;
    await fail(second);
    expect(await uploadRepository.unusedBytes()).toBe(upload.bytes);

    // Past the upload's own time, but Retry keeps working for a full time after the last failure.
    clock.now += 24 * HOUR - 1;
    await expect(service.usable(upload.id)).resolves.toMatchObject({ id: upload.id });
    expect(await service.sweep()).toBe(0);
    clock.now += 1;
    await expect(service.usable(upload.id)).rejects.toMatchObject({ code: "upload_expired", status: 410 });
    expect(await service.sweep()).toBe(1);
    expect(existsSync(fileOf(upload.mediaKey))).toBe(false);
    expect(await uploadRepository.unusedBytes()).toBe(0);
    for (const id of [first, second]) expect(await generations.findById(id)).toMatchObject({ status: "failed", uploadId: null });
    expect(service.portraitRemoved()).toMatchObject({
      code: "upload_expired",
      status: 410,
      message: "This portrait was removed 24 hours after the generation failed; start again with the photo.",
    });
  });

  it("is never swept while a generation that has not failed also uses it", async () => {
    const { service, clock, image, fileOf, useIn, fail, uploadRepository } = await setUp();
    const upload = await service.store(image);
    await fail(await useIn(upload.id));
    await useIn(upload.id);
    clock.now += 100 * HOUR;
    expect(await service.sweep()).toBe(0);
    expect(await uploadRepository.unusedBytes()).toBe(0);
    await expect(service.usable(upload.id)).resolves.toMatchObject({ id: upload.id });
    expect(existsSync(fileOf(upload.mediaKey))).toBe(true);
  });
});

describe("the upload sweeper", () => {
  it("sweeps at start and then on its interval, one run at a time, and keeps going after a failure", async () => {
    let runs = 0;
    let concurrent = 0;
    let most = 0;
    const warnings: string[] = [];
    const sweeper = createUploadSweeper({
      intervalMs: 20,
      log: { info: () => undefined, warn: (_details, message) => warnings.push(message) },
      sweep: async () => {
        runs++;
        most = Math.max(most, ++concurrent);
        await new Promise((resolve) => setTimeout(resolve, 50));
        concurrent--;
        if (runs === 1) throw new Error("database away");
        return 0;
      },
    });
    sweeper.start();
    await new Promise((resolve) => setTimeout(resolve, 300));
    sweeper.stop();
    const stoppedAt = runs;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(runs).toBeGreaterThanOrEqual(2);
    expect(most).toBe(1);
    expect(warnings).toEqual(["upload sweep failed; will try again"]);
    expect(runs).toBeLessThanOrEqual(stoppedAt + 1);
  });

  it("runs often enough for the time uploads are kept, at most every 15 minutes", () => {
    expect(sweepIntervalFor(24 * HOUR)).toBe(15 * 60_000);
    expect(sweepIntervalFor(HOUR)).toBe(15 * 60_000);
    expect(sweepIntervalFor(0.5 * HOUR)).toBe(7.5 * 60_000);
    expect(sweepIntervalFor(3_600)).toBe(1_000);
  });
});
