import { chmodSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { aGeneration } from "../support/fakes/generation-record";
import { type GenerationRecord } from "@/lib/generations/generation-record";
import { createLocalMediaStore } from "@/lib/media/local-media-store";
import { createKyselyGenerationRepository } from "@/lib/store/kysely-generation-repository";
import { openSqlite } from "@/lib/store/open-sqlite";
import { createGenerationTracker, type GenerationTracker } from "@/lib/tracker/generation-tracker";
import { createDemoProvider } from "@/lib/upstream/demo/demo-provider";
import type { GenerationProvider, TaskSnapshot } from "@/lib/upstream/provider";
import { makePortrait } from "../support/portraits";

const trackers: GenerationTracker[] = [];
afterEach(() => trackers.splice(0).forEach((tracker) => tracker.stop()));

const tempDir = (name: string) => mkdtempSync(path.join(os.tmpdir(), `${name}-`));

/** Makes the portrait of every task this provider creates unreadable, so its render fails every time. */
function breakingRenders(provider: GenerationProvider, workDir: string): GenerationProvider {
  return {
    ...provider,
    async createTask(request) {
      const created = await provider.createTask(request);
      writeFileSync(path.join(workDir, `${created.taskId}.jpg`), "not a picture");
      return created;
    },
  };
}

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("demo provider", () => {
  it("fails a task whose render keeps failing, with a clear message, after a few attempts", async () => {
    const workDir = tempDir("demo-work");
    const provider = breakingRenders(createDemoProvider({ workDir, durationMs: 100 }), workDir);
    const image = { bytes: await makePortrait({ width: 300, height: 400 }), type: "image/jpeg" as const };
    const created = await provider.createTask({ image, prompt: "p", promptOptimizer: true, watermark: false });
    const seen: TaskSnapshot["state"][] = [];
    const failed = await until(async () => {
      const snapshot = await provider.getTask(created.taskId);
      seen.push(snapshot.state);
      return snapshot.state === "failed" ? snapshot : undefined;
    }, 15_000);
    expect(failed.error).toEqual({ code: "demo_render_failed", message: "The demo video could not be made from this portrait." });
    // Tried more than once (a render may fail for a passing reason), but not forever.
    expect(seen.filter((state) => state === "processing").length).toBeGreaterThan(1);
  }, 30_000);
});

/** An "ffmpeg" that never finishes. */
function hungFfmpeg(): string {
  const binary = path.join(tempDir("hung-ffmpeg"), "ffmpeg");
  writeFileSync(binary, "#!/bin/sh\nsleep 600 &\nwait\n");
  chmodSync(binary, 0o755);
  return binary;
}

describe("demo renders", () => {
  it("a render that hangs is stopped at the ffmpeg limit and fails the task with its message", async () => {
    const workDir = tempDir("demo-hung");
    const provider = createDemoProvider({ workDir, durationMs: 100, ffmpeg: { binary: hungFfmpeg(), timeoutMs: 1_000, memoryMb: 1_024 } });
    const image = { bytes: await makePortrait({ width: 300, height: 400 }), type: "image/jpeg" as const };
    const created = await provider.createTask({ image, prompt: "p", promptOptimizer: true, watermark: false });
    const started = Date.now();
    const failed = await until(async () => {
      const snapshot = await provider.getTask(created.taskId);
      return snapshot.state === "failed" ? snapshot : undefined;
    }, 20_000);
    expect(failed.error).toEqual({ code: "demo_render_failed", message: "The demo video could not be made from this portrait." });
    // Three attempts of one second each, not forever.
    expect(Date.now() - started).toBeLessThan(10_000);
  }, 30_000);

  it("work files of tasks older than the app waits for are removed; a fresh task's are kept", async () => {
    const workDir = tempDir("demo-old");
    mkdirSync(workDir, { recursive: true });
    const old = `demo-${(Date.now() - 2 * 3_600_000).toString(36)}-abcdefghijkl`;
    for (const suffix of [".jpg", ".mp4", ".mp4.partial.mp4", ".failed"]) writeFileSync(path.join(workDir, `${old}${suffix}`), "left by a crash");
    writeFileSync(path.join(workDir, "notes.txt"), "not a task's");
    const provider = createDemoProvider({ workDir, durationMs: 60_000, maxTaskAgeMs: 3_600_000 });
    const image = { bytes: await makePortrait({ width: 300, height: 400 }), type: "image/jpeg" as const };
    const created = await provider.createTask({ image, prompt: "p", promptOptimizer: true, watermark: false });
    expect(readdirSync(workDir).sort()).toEqual([`${created.taskId}.jpg`, "notes.txt"]);
  });
});

describe("demo mode through the tracker", () => {
  async function setup(wrap: (provider: GenerationProvider, workDir: string) => GenerationProvider = (provider) => provider) {
    const dir = tempDir("demo-tracker");
    const workDir = path.join(dir, "demo");
    const repository = createKyselyGenerationRepository(await openSqlite(path.join(dir, "db.sqlite")));
    const media = createLocalMediaStore(path.join(dir, "media"));
    const portrait = await makePortrait({ width: 300, height: 400 });
    await media.putBuffer("inputs/gen1.jpg", portrait);
    const fresh = aGeneration({ id: "gen1", mode: "demo", prompt: "p", inputWidth: 300, inputHeight: 400 });
    await repository.insert(fresh);
    const provider = wrap(createDemoProvider({ workDir, durationMs: 200 }), workDir);
    const tracker = createGenerationTracker({
      repository,
      media,
      provider,
      log: pino({ level: "silent" }),
      pollIntervalMs: 50,
      deadlineMs: 120_000,
      maxResultBytes: 50 * 1024 * 1024,
      instanceId: "instance-a",
      leaseMs: 60_000,
    });
    trackers.push(tracker);
    await tracker.start();
    const final = () =>
      until<GenerationRecord>(async () => {
        const found = await repository.findById("gen1");
        return found && (found.status === "succeeded" || found.status === "failed") ? found : undefined;
      }, 50_000);
    const workFiles = () => readdirSync(workDir);
    return { final, workFiles };
  }

  it("deletes the task's work files once the video is stored", async () => {
    const { final, workFiles } = await setup();
    expect(await final()).toMatchObject({ status: "succeeded", resultKey: "videos/gen1.mp4" });
    await until(async () => (workFiles().length === 0 ? true : undefined), 5_000).catch(() => undefined);
    expect(workFiles()).toEqual([]);
  }, 60_000);

  it("fails a generation whose render keeps failing, says why, and deletes its work files", async () => {
    const { final, workFiles } = await setup(breakingRenders);
    expect(await final()).toMatchObject({
      status: "failed",
      errorCode: "demo_render_failed",
      errorMessage: "The demo video could not be made from this portrait.",
    });
    await until(async () => (workFiles().length === 0 ? true : undefined), 5_000).catch(() => undefined);
    expect(workFiles()).toEqual([]);
  }, 60_000);
});
