import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pino from "pino";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { ffmpegBinary } from "../../bench/support/test-pattern-clip";
import { waitFor } from "../support/api";
import { aGeneration } from "../support/fakes/generation-record";
import { systemFfprobe } from "../support/ffmpeg-runner";
import { gifFrameCount } from "../support/media-files";
import type { DerivativeKind, DerivativeRecord } from "@/lib/media/derivatives/derivative-record";
import { createDerivativeService, type DerivativeService } from "@/lib/media/derivatives/derivative-service";
import { playableVideo } from "@/lib/media/derivatives/derived-media";
import { createFfmpegRunner } from "@/lib/media/derivatives/ffmpeg-runner";
import { createLocalMediaStore } from "@/lib/media/local-media-store";
import { createKyselyDerivativeRepository } from "@/lib/store/kysely-derivative-repository";
import { createKyselyGenerationRepository } from "@/lib/store/kysely-generation-repository";
import { openSqlite } from "@/lib/store/open-sqlite";

const scratch = mkdtempSync(path.join(os.tmpdir(), "bounded-media-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const services: DerivativeService[] = [];
afterEach(async () => {
  for (const service of services.splice(0)) await service.stop();
});

/** Encodes a test clip with the shipped ffmpeg (its libx264, libx265 and libvpx) from lavfi sources. */
function encode(name: string, args: string[]): string {
  const file = path.join(scratch, name);
  const result = spawnSync(ffmpegBinary(), ["-hide_banner", "-loglevel", "error", "-y", ...args, file], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`ffmpeg failed: ${result.stderr}`);
  return file;
}
const pattern = (size: string, rate: number, seconds: number) => ["-f", "lavfi", "-t", String(seconds), "-i", `testsrc2=size=${size}:rate=${rate}`];
const h264 = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"];

/** A real store, media folder and derived-media queue over `ffmpeg`, with one succeeded generation per stored result. */
async function setup(options: { ffmpeg?: string; jobTimeoutMs?: number; leaseMs?: number } = {}) {
  const dir = mkdtempSync(path.join(scratch, "app-"));
  const dbFile = path.join(dir, "db.sqlite");
  const db = await openSqlite(dbFile);
  const generations = createKyselyGenerationRepository(db);
  const media = createLocalMediaStore(path.join(dir, "media"));
  const service = createDerivativeService({
    repository: createKyselyDerivativeRepository(db),
    media,
    runner: createFfmpegRunner({ binaries: { ffmpeg: options.ffmpeg ?? ffmpegBinary(), ffprobe: systemFfprobe() }, memoryMb: 1_024 }),
    findGeneration: (id) => generations.findById(id),
    instanceId: "instance-a",
    log: pino({ level: "silent" }),
    maxBytes: 100_000_000,
    leaseMs: options.leaseMs,
    jobTimeoutMs: options.jobTimeoutMs,
  });
  services.push(service);
  await service.start();
  async function stored(id: string, file: string) {
    const record = aGeneration({ id }, { status: "succeeded", resultKey: `videos/${id}.mp4` });
    await media.putBuffer(record.resultKey ?? "", readFileSync(file));
    await generations.insert(record);
    return record;
  }
  const settled = (id: string, kind: DerivativeKind, pingPong = false) =>
    waitFor<DerivativeRecord>(async () => {
      const job = await service.find({ generationId: id, kind, pingPong });
      return job && (job.state === "ready" || job.state === "failed") ? job : undefined;
    }, 90_000);
  /** The lease a running job holds, read from the table as another instance would. */
  const leases = () => {
    const reader = new Database(dbFile, { readonly: true });
    try {
      return reader.prepare("select lease_until as leaseUntil from media_derivatives where state = 'running'").all() as Array<{ leaseUntil: string }>;
    } finally {
      reader.close();
    }
  };
  return { service, media, stored, settled, leases };
}

describe("results far outside the spec", () => {
  const hostile: Array<[string, () => string, RegExp]> = [
    ["a 120 s result", () => encode("long.mp4", [...pattern("96x160", 5, 120), ...h264]), /120 s long \(at most 30 s\)/],
    ["a result larger than 4K", () => encode("huge.mp4", [...pattern("4096x2176", 5, 0.4), ...h264]), /4096×2176 \(at most 3840×2160\)/],
    ["a VP9 result", () => encode("vp9.mp4", [...pattern("96x160", 5, 1), "-c:v", "libvpx-vp9", "-deadline", "realtime"]), /encoded as vp9/],
    [
      "a result with two video streams",
      () => encode("two.mp4", [...pattern("96x160", 5, 1), ...pattern("96x160", 5, 1), "-map", "0", "-map", "1", ...h264]),
      /2 video streams/,
    ],
  ];

  it.each(hostile)("%s: nothing is derived, every job fails saying why, the original stays downloadable", { timeout: 120_000 }, async (_name, make, reason) => {
    const { service, media, stored, settled } = await setup();
    const file = make();
    const record = await stored("gen1", file);
    await service.ensureBase(record.id);
    // A share-link visitor asks for the costliest loop there is.
    await service.requestLoop(record.id, "gif", true);
    for (const [kind, pingPong] of [
      ["preview", false],
      ["frame", false],
      ["web", false],
      ["light", false],
      ["gif", true],
    ] as const) {
      const job = await settled(record.id, kind, pingPong);
      expect(job, kind).toMatchObject({ state: "failed", mediaKey: null, runs: 1 });
      expect(job.error).toMatch(/^Nothing is made from this video: /);
      expect(job.error).toMatch(reason);
      expect(job.error).toMatch(/can still be downloaded/);
    }
    const download = await playableVideo(service, record, { download: true });
    expect(download.key).toBe(record.resultKey);
    expect((await media.readBuffer(download.key)).equals(readFileSync(file))).toBe(true);
  });
});

describe("loops", () => {
  it("are made from the first 6 s of a longer result, ping-pong included", { timeout: 120_000 }, async () => {
    const { service, media, stored, settled } = await setup();
    const record = await stored("gen1", encode("twenty.mp4", [...pattern("240x320", 12, 20), ...h264]));
    await service.requestLoop(record.id, "gif", false);
    await service.requestLoop(record.id, "gif", true);
    const forward = gifFrameCount(await media.readBuffer((await settled(record.id, "gif")).mediaKey ?? ""));
    const pingPong = gifFrameCount(await media.readBuffer((await settled(record.id, "gif", true)).mediaKey ?? ""));
    // 12 frames a second from the first 6 s (not the 240 of all 20 s); ping-pong twice that.
    expect(forward).toBeGreaterThanOrEqual(70);
    expect(forward).toBeLessThanOrEqual(73);
    expect(pingPong).toBe(2 * forward);
  });
});

describe("a hung ffmpeg", () => {
  /** An "ffmpeg" that starts a child in its process group and waits on it forever; writes the child's pid. */
  function hungFfmpeg(): { binary: string; childPid: () => number } {
    const dir = mkdtempSync(path.join(scratch, "hung-"));
    const binary = path.join(dir, "ffmpeg");
    const pidFile = path.join(dir, "child.pid");
    writeFileSync(binary, `#!/bin/sh\nsleep 600 &\necho $! > "${pidFile}"\nwait\n`);
    chmodSync(binary, 0o755);
    return { binary, childPid: () => Number(readFileSync(pidFile, "utf8")) };
  }
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };

  it("is killed with its process group at the job's limit, its lease ends by then, and the queue moves on", { timeout: 120_000 }, async () => {
    const hung = hungFfmpeg();
    const jobTimeoutMs = 1_500;
    const { service, stored, settled, leases } = await setup({ ffmpeg: hung.binary, jobTimeoutMs, leaseMs: 60_000 });
    const record = await stored("gen1", encode("ok.mp4", [...pattern("96x160", 5, 1), ...h264]));
    const started = Date.now();
    let latestLease = 0;
    const watch = setInterval(() => {
      for (const { leaseUntil } of leases()) latestLease = Math.max(latestLease, Date.parse(leaseUntil));
    }, 50);
    try {
      await service.requestLoop(record.id, "gif", true);
      await waitFor(async () => (existsSync(path.dirname(hung.binary) + "/child.pid") ? true : undefined), 10_000);
      const child = hung.childPid();
      const loop = await settled(record.id, "gif", true);
      expect(loop).toMatchObject({ state: "failed", runs: 1, error: "Making this file took too long and was stopped." });
      expect(Date.now() - started).toBeLessThan(jobTimeoutMs + 5_000);
      // The sleeping child went with its parent: the whole group was killed.
      await waitFor(async () => (alive(child) ? undefined : true), 2_000);
      // No lease reached past the job's limit (plus the few seconds to record the failure).
      expect(latestLease).toBeGreaterThan(0);
      expect(latestLease).toBeLessThanOrEqual(started + jobTimeoutMs + 5_000 + 500);
      // The next job is not held up by the first: it is taken (and stopped) in its own turn.
      await service.ensureBase(record.id);
      expect(await settled(record.id, "frame")).toMatchObject({ state: "failed", runs: 1 });
    } finally {
      clearInterval(watch);
    }
  });
});
