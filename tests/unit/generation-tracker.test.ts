import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { aGeneration } from "../support/fakes/generation-record";
import { type GenerationRecord } from "@/lib/generations/generation-record";
import type { GenerationRepository } from "@/lib/generations/generation-repository";
import { createLocalMediaStore } from "@/lib/media/local-media-store";
import type { MediaStore } from "@/lib/media/media-store";
import { createKyselyGenerationRepository } from "@/lib/store/kysely-generation-repository";
import { openSqlite } from "@/lib/store/open-sqlite";
import { createGenerationTracker, type GenerationTracker, type TrackerOptions } from "@/lib/tracker/generation-tracker";
import { UpstreamError, type GenerationProvider, type TaskSnapshot } from "@/lib/upstream/provider";

const MP4 = Buffer.concat([Buffer.from("\0\0\0\x18ftypisom", "latin1"), Buffer.alloc(64)]);

/** A provider whose answers the test scripts, counting calls and overlapping calls. */
function scriptedProvider(script: { create?: () => Promise<TaskSnapshot>; get?: (taskId: string) => Promise<TaskSnapshot> }) {
  const calls = { create: 0, get: 0, concurrentGets: 0, maxConcurrentGets: 0, getIds: [] as string[] };
  const snapshot = (state: TaskSnapshot["state"], extra: Partial<TaskSnapshot> = {}): TaskSnapshot => ({
    taskId: "t1",
    state,
    progress: null,
    videoUrl: null,
    costUsd: null,
    error: null,
    providerStatus: state,
    recognisedStatus: true,
    ...extra,
  });
  const provider: GenerationProvider = {
    mode: "live",
    taskIdFromNotification: () => null,
    async createTask(request) {
      // The request leaves (and counts) only past the tracker's gate, as in the real providers.
      await request.beforeSend?.();
      calls.create++;
      return script.create ? script.create() : snapshot("queued");
    },
    async getTask(taskId) {
      calls.get++;
      calls.getIds.push(taskId);
      calls.concurrentGets++;
      calls.maxConcurrentGets = Math.max(calls.maxConcurrentGets, calls.concurrentGets);
      try {
        await new Promise((resolve) => setTimeout(resolve, 30));
        return script.get ? await script.get(taskId) : snapshot("succeeded", { videoUrl: "https://cdn/x.mp4", costUsd: "0.28", progress: 1 });
      } finally {
        calls.concurrentGets--;
      }
    },
    async openResult() {
      return { body: new Blob([MP4]).stream(), contentLength: MP4.length };
    },
  };
  return { provider, calls, snapshot };
}

const trackers: GenerationTracker[] = [];
afterEach(() => trackers.splice(0).forEach((tracker) => tracker.stop()));

interface TrackerOverrides {
  provider?: GenerationProvider;
  media?: MediaStore;
  leaseMs?: number;
  deadlineMs?: number;
  callbackUrlFor?: TrackerOptions["callbackUrlFor"];
}

const withCallbacks: TrackerOverrides = { callbackUrlFor: (record) => `https://clips.example.com/api/callbacks/vtrix/${record.callbackSecret}` };

interface SetupOptions extends TrackerOverrides {
  /** Wraps the real local store, e.g. to make it report a full disk. */
  wrapMedia?: (media: MediaStore) => MediaStore;
  resultRetry?: { maxAttempts?: number; maxDelayMs?: number };
  /** Collects every log line the tracker writes. */
  logLines?: string[];
}

async function setup(provider: GenerationProvider, record: Partial<GenerationRecord> = {}, options: SetupOptions = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "tracker-test-"));
  const repository: GenerationRepository = createKyselyGenerationRepository(await openSqlite(path.join(dir, "db.sqlite")));
  const local = createLocalMediaStore(path.join(dir, "media"));
  const media = options.wrapMedia ? options.wrapMedia(local) : local;
  const logLines = options.logLines;
  const log = logLines ? pino({ level: "debug" }, { write: (line: string) => void logLines.push(line) }) : pino({ level: "silent" });
  await media.putBuffer("inputs/gen1.jpg", Buffer.from([0xff, 0xd8, 0xff]));
  await repository.insert(aGeneration({ id: "gen1", prompt: "p", inputWidth: 600, inputHeight: 800 }, record));
  /** Another app instance on the same store (a restart when `instanceId` is the same). */
  const startTracker = (instanceId = "instance-a", overrides: TrackerOverrides = {}) => {
    const started = createGenerationTracker({
      repository,
      media: overrides.media ?? media,
      provider: overrides.provider ?? provider,
      log,
      pollIntervalMs: 50,
      deadlineMs: overrides.deadlineMs ?? options.deadlineMs ?? 60_000,
      maxResultBytes: 1024 * 1024,
      instanceId,
      leaseMs: overrides.leaseMs ?? 60_000,
      callbackUrlFor: overrides.callbackUrlFor ?? options.callbackUrlFor,
      resultRetry: options.resultRetry,
    });
    trackers.push(started);
    return started;
  };
  const tracker = startTracker("instance-a", options);
  const final = async (timeoutMs = 4000) => {
    for (let i = 0; i < timeoutMs / 20; i++) {
      const found = await repository.findById("gen1");
      if (found && (found.status === "succeeded" || found.status === "failed")) return found;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error("not final in time");
  };
  return { repository, media, tracker, startTracker, final, dir };
}

describe("generation tracker", () => {
  it("submits, polls and stores the result; many kicks still mean one request at a time", async () => {
    const { provider, calls } = scriptedProvider({});
    const { tracker, final } = await setup(provider);
    await tracker.start();
    for (let i = 0; i < 20; i++) tracker.kick("gen1");
    const done = await final();
    expect(done).toMatchObject({ status: "succeeded", costUsd: "0.28", resultKey: "videos/gen1.mp4", resultBytes: MP4.length });
    expect(calls.create).toBe(1);
    expect(calls.maxConcurrentGets).toBe(1);
  });

  it("sends a create again only when the provider refused it with 429", async () => {
    let attempts = 0;
    const { provider, calls, snapshot } = scriptedProvider({
      create: async () => {
        attempts++;
        if (attempts === 1) throw new UpstreamError("rate_limited", "slow down", { httpStatus: 429, retryAfterMs: 10, taskMayExist: false });
        return snapshot("queued");
      },
    });
    const { tracker, final } = await setup(provider);
    await tracker.start();
    expect((await final()).status).toBe("succeeded");
    expect(calls.create).toBe(2);
  });

  it("never repeats a create that may have started a task", async () => {
    const { provider, calls } = scriptedProvider({
      create: async () => {
        throw new UpstreamError("timeout", "The provider did not answer in time.", { taskMayExist: true });
      },
    });
    const { tracker, final } = await setup(provider);
    await tracker.start();
    const failed = await final();
    expect(failed).toMatchObject({ status: "failed", errorCode: "upstream_timeout" });
    expect(failed.errorMessage).toContain("not repeated");
    expect(calls.create).toBe(1);
  });

  it("after a restart, fails a create that was in flight instead of guessing", async () => {
    const { provider, calls } = scriptedProvider({});
    const { tracker, final } = await setup(provider, { submitState: "submitting" });
    await tracker.start();
    expect(await final()).toMatchObject({ status: "failed", errorCode: "submit_interrupted" });
    expect(calls.create).toBe(0);
  });

  it("resumes polling a submitted task after a restart", async () => {
    const { provider, calls } = scriptedProvider({});
    const { tracker, final } = await setup(provider, { submitState: "submitted", upstreamTaskId: "t1", status: "processing" });
    await tracker.start();
    expect((await final()).status).toBe("succeeded");
    expect(calls.create).toBe(0);
  });

  it("keeps a paid result in flight while its download fails, then stores it", async () => {
    let downloads = 0;
    const { provider } = scriptedProvider({});
    const flaky: GenerationProvider = {
      ...provider,
      async openResult(url) {
        downloads++;
        if (downloads < 3) throw new UpstreamError("network", "could not connect", { taskMayExist: true });
        return provider.openResult(url);
      },
    };
    const { tracker, repository, final } = await setup(flaky);
    await tracker.start();
    const done = await final();
    expect(done.status).toBe("succeeded");
    expect(downloads).toBe(3);
    expect((await repository.listSpend())[0]?.costUsd).toBe("0.28");
  });

  describe("a create that may or may not have reached the provider", () => {
    const lostAnswer = () => new UpstreamError("timeout", "The provider did not answer in time.", { taskMayExist: true });
    const waitUntil = async (probe: () => Promise<boolean>) => {
      for (let i = 0; i < 200 && !(await probe()); i++) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await probe()).toBe(true);
    };

    it("is marked as submitting only when its request leaves: stopped while the portrait is read, it is sent after the restart, once", async () => {
      const { provider, calls } = scriptedProvider({});
      const { repository, media, startTracker, final } = await setup(provider);
      // The first process reads the portrait slowly and dies in the middle of it.
      let release = () => {};
      const reading = new Promise<void>((resolve) => (release = resolve));
      let reads = 0;
      const slowMedia: MediaStore = {
        ...media,
        async readBuffer(key) {
          reads++;
          await reading;
          return media.readBuffer(key);
        },
      };
      const first = startTracker("instance-a", { media: slowMedia });
      await first.start();
      await waitUntil(async () => reads === 1);
      expect((await repository.findById("gen1"))?.submitState).toBe("pending");
      first.stop();

      await startTracker("instance-a").start();
      expect((await final()).status).toBe("succeeded");
      expect(calls.create).toBe(1);
      // The dead process's read finishes late: it must not send the create a second time.
      release();
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(calls.create).toBe(1);
    });

    it("with a callback URL, waits for the provider's notification, verifies the task it names and follows it", async () => {
      const { provider, calls, snapshot } = scriptedProvider({
        create: async () => {
          throw lostAnswer();
        },
        get: async (taskId) => {
          if (taskId !== "task-real") throw new UpstreamError("not_found", "No such task.", { httpStatus: 404, taskMayExist: false });
          return snapshot("succeeded", { taskId, videoUrl: "https://cdn/x.mp4", costUsd: "0.28", progress: 1 });
        },
      });
      const { repository, tracker, final } = await setup(provider, {}, withCallbacks);
      await tracker.start();
      await waitUntil(async () => calls.create === 1);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await repository.findById("gen1")).toMatchObject({ status: "queued", submitState: "submitting", upstreamTaskId: null });

      // A notification naming a task the provider does not know changes nothing.
      await repository.update("gen1", { kind: "task_reported", taskId: "task-forged" });
      tracker.kick("gen1");
      await waitUntil(async () => calls.getIds.includes("task-forged") && (await repository.findById("gen1"))?.reportedTaskId === null);
      expect(await repository.findById("gen1")).toMatchObject({ status: "queued", submitState: "submitting", upstreamTaskId: null });

      await repository.update("gen1", { kind: "task_reported", taskId: "task-real" });
      tracker.kick("gen1");
      expect(await final()).toMatchObject({ status: "succeeded", upstreamTaskId: "task-real", submitState: "submitted", costUsd: "0.28" });
      expect(calls.create).toBe(1);
    });

    it("with a callback URL, fails at the deadline when no notification came, without sending it again", async () => {
      const { provider, calls } = scriptedProvider({
        create: async () => {
          throw lostAnswer();
        },
      });
      const { tracker, final } = await setup(provider, {}, { ...withCallbacks, deadlineMs: 600 });
      await tracker.start();
      const failed = await final();
      expect(failed).toMatchObject({ status: "failed", errorCode: "submit_unconfirmed" });
      expect(failed.errorMessage).toContain("dashboard");
      expect(Date.now() - Date.parse(failed.createdAt)).toBeGreaterThanOrEqual(600);
      expect(calls.create).toBe(1);
      expect(calls.get).toBe(0);
    });

    it("after a restart with a callback URL, a create that was in flight waits for its notification", async () => {
      const { provider, calls } = scriptedProvider({});
      const { repository, tracker, final } = await setup(provider, { submitState: "submitting" }, withCallbacks);
      await tracker.start();
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await repository.findById("gen1")).toMatchObject({ status: "queued", submitState: "submitting" });
      await repository.update("gen1", { kind: "task_reported", taskId: "t1" });
      tracker.kick("gen1");
      expect(await final()).toMatchObject({ status: "succeeded", upstreamTaskId: "t1" });
      expect(calls.create).toBe(0);
    });

    it("a notification noted while no process follows it is picked up without a kick", async () => {
      const { provider, calls } = scriptedProvider({});
      const { tracker, final } = await setup(provider, { submitState: "submitting", reportedTaskId: "t1" }, withCallbacks);
      await tracker.start();
      expect(await final()).toMatchObject({ status: "succeeded", upstreamTaskId: "t1" });
      expect(calls.create).toBe(0);
    });
  });

  describe("when the result cannot be fetched (faults)", () => {
    const submitted = { submitState: "submitted", upstreamTaskId: "t1", status: "processing" } as const;

    it.each([
      ["a link we will not follow", "The provider sent a video link we will not follow."],
      ["a link that redirected too many times", "The provider's video link redirected too many times."],
      ["a link to a private address", "The provider's video link points to a private or local network address."],
    ])("fails at once, with a clear message, on %s", async (_name, userMessage) => {
      let downloads = 0;
      const { provider, calls } = scriptedProvider({});
      const refusing: GenerationProvider = {
        ...provider,
        async openResult() {
          downloads++;
          throw new UpstreamError("result_invalid", userMessage, { taskMayExist: true });
        },
      };
      const { tracker, final } = await setup(refusing, submitted);
      await tracker.start();
      const failed = await final();
      expect(failed).toMatchObject({ status: "failed", errorCode: "result_refused" });
      expect(failed.errorMessage).toContain(userMessage);
      expect(downloads).toBe(1);
      expect(calls.get).toBe(1);
    });

    it("re-reads the task once for a fresh link when the link expired, then fails clearly", async () => {
      let downloads = 0;
      let link = 0;
      const { provider, calls, snapshot } = scriptedProvider({
        get: async () => snapshot("succeeded", { videoUrl: `https://cdn/x.mp4?v=${++link}`, costUsd: "0.28", progress: 1 }),
      });
      const urls: string[] = [];
      const expiring: GenerationProvider = {
        ...provider,
        async openResult(url) {
          downloads++;
          urls.push(url);
          throw new UpstreamError("result_expired", "The provider's video link has expired or was refused.", { httpStatus: 403, taskMayExist: true });
        },
      };
      const { tracker, final } = await setup(expiring, submitted);
      await tracker.start();
      const failed = await final();
      expect(failed).toMatchObject({ status: "failed", errorCode: "result_expired" });
      expect(failed.errorMessage).toMatch(/expired/);
      expect(downloads).toBe(2);
      expect(calls.get).toBe(2);
      // The second try used the fresh link from the re-read.
      expect(urls).toEqual(["https://cdn/x.mp4?v=1", "https://cdn/x.mp4?v=2"]);
    });

    it("stores the result when the re-read brings a link that works", async () => {
      let downloads = 0;
      let link = 0;
      const { provider, snapshot } = scriptedProvider({
        get: async () => snapshot("succeeded", { videoUrl: `https://cdn/x.mp4?v=${++link}`, costUsd: "0.28", progress: 1 }),
      });
      const expiringOnce: GenerationProvider = {
        ...provider,
        async openResult(url) {
          downloads++;
          if (downloads === 1) throw new UpstreamError("result_expired", "expired", { httpStatus: 403, taskMayExist: true });
          return provider.openResult(url);
        },
      };
      const { tracker, final } = await setup(expiringOnce, submitted);
      await tracker.start();
      expect(await final()).toMatchObject({ status: "succeeded", errorCode: null });
      expect(downloads).toBe(2);
    });

    it("backs off between download attempts (successful polls do not reset it) and stops at a cap", async () => {
      const attempts: number[] = [];
      const { provider } = scriptedProvider({});
      const unreachable: GenerationProvider = {
        ...provider,
        async openResult() {
          attempts.push(Date.now());
          throw new UpstreamError("network", "The finished video could not be downloaded from the provider.", { taskMayExist: true });
        },
      };
      const { tracker, final } = await setup(unreachable, submitted, { resultRetry: { maxAttempts: 5 } });
      await tracker.start();
      const failed = await final(15_000);
      expect(failed).toMatchObject({ status: "failed", errorCode: "result_download_failed" });
      expect(failed.errorMessage).toContain("5 attempts");
      expect(attempts).toHaveLength(5);
      // Exponential backoff with jitter from a 50 ms base: at least 50 + 100 + 200 + 400 ms between the five.
      expect(attempts[4]! - attempts[0]!).toBeGreaterThanOrEqual(750);
      for (let i = 2; i < attempts.length; i++) {
        expect(attempts[i]! - attempts[i - 1]!).toBeGreaterThanOrEqual(50 * 2 ** (i - 1));
      }
    });

    it("shows that it is retrying while a download fails, and clears it once stored", async () => {
      let downloads = 0;
      const { provider } = scriptedProvider({});
      const flaky: GenerationProvider = {
        ...provider,
        async openResult(url) {
          downloads++;
          if (downloads < 3) throw new UpstreamError("network", "could not connect", { taskMayExist: true });
          if (downloads === 3) await new Promise((resolve) => setTimeout(resolve, 300));
          return provider.openResult(url);
        },
      };
      const { tracker, repository, final } = await setup(flaky, submitted);
      await tracker.start();
      let seen: GenerationRecord | undefined;
      for (let i = 0; i < 100 && !seen?.errorCode; i++) {
        seen = await repository.findById("gen1");
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(seen).toMatchObject({ status: "processing", errorCode: "result_download_retrying" });
      expect(seen?.errorMessage).toMatch(/trying again/i);
      expect(await final()).toMatchObject({ status: "succeeded", errorCode: null, errorMessage: null });
    });
  });

  describe("at the deadline", () => {
    it("looks at the task once more before giving up, and keeps a result finished meanwhile", async () => {
      const createdAt = Date.now();
      const deadlineMs = 400;
      const { provider, calls, snapshot } = scriptedProvider({
        get: async () => {
          // The provider finished long ago, but every poll failed until the deadline passed.
          if (Date.now() <= createdAt + deadlineMs) throw new UpstreamError("server_error", "down", { httpStatus: 502, taskMayExist: true });
          return snapshot("succeeded", { videoUrl: "https://cdn/x.mp4", costUsd: "0.28", progress: 1 });
        },
      });
      const { tracker, final } = await setup(
        provider,
        { submitState: "submitted", upstreamTaskId: "t1", status: "processing", createdAt: new Date(createdAt).toISOString() },
        { deadlineMs },
      );
      await tracker.start();
      expect(await final()).toMatchObject({ status: "succeeded", resultKey: "videos/gen1.mp4" });
      expect(calls.get).toBeGreaterThan(1);
    });

    it("fails a task still running after one last look, naming the time limit in words", async () => {
      const { provider, calls, snapshot } = scriptedProvider({ get: async () => snapshot("processing", { progress: 0.5 }) });
      const createdAt = new Date(Date.now() - 5_000).toISOString();
      const { tracker, final } = await setup(
        provider,
        { submitState: "submitted", upstreamTaskId: "t1", status: "processing", createdAt },
        { deadlineMs: 1_000 },
      );
      await tracker.start();
      const failed = await final();
      expect(failed).toMatchObject({ status: "failed", errorCode: "deadline_exceeded" });
      expect(failed.errorMessage).toBe("The provider did not finish the video within 1 second.");
      expect(calls.get).toBe(1);
    });
  });

  describe("when the media store is full", () => {
    const submitted = { submitState: "submitted", upstreamTaskId: "t1", status: "processing" } as const;
    const enospc = () => Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC", errno: -28, syscall: "write" });

    it("shows a clear notice, logs ENOSPC, backs off, and stores the result once space returns", async () => {
      let full = true;
      let writes = 0;
      const logLines: string[] = [];
      const { provider } = scriptedProvider({});
      const { tracker, repository, final } = await setup(provider, submitted, {
        logLines,
        wrapMedia: (media) => ({
          ...media,
          async putStream(key, body, options) {
            writes++;
            if (full) {
              await body.cancel();
              throw enospc();
            }
            return media.putStream(key, body, options);
          },
        }),
      });
      await tracker.start();
      let seen: GenerationRecord | undefined;
      for (let i = 0; i < 100 && !seen?.errorCode; i++) {
        seen = await repository.findById("gen1");
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(seen).toMatchObject({ status: "processing", errorCode: "storage_full" });
      expect(seen?.errorMessage).toMatch(/storage is full/i);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      // Backing off from a 50 ms base: a handful of writes in a second, not one every poll.
      expect(writes).toBeLessThanOrEqual(6);
      expect(logLines.join("\n")).toContain("ENOSPC");
      full = false;
      expect(await final(15_000)).toMatchObject({ status: "succeeded", errorCode: null, errorMessage: null });
    });

    it("does not download while the store reports less free space than its floor", async () => {
      let room = false;
      let downloads = 0;
      const { provider } = scriptedProvider({});
      const counting: GenerationProvider = {
        ...provider,
        async openResult(url) {
          downloads++;
          return provider.openResult(url);
        },
      };
      const { tracker, repository, final } = await setup(counting, submitted, {
        wrapMedia: (media) => ({ ...media, hasRoom: async () => room }),
      });
      await tracker.start();
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(downloads).toBe(0);
      expect(await repository.findById("gen1")).toMatchObject({ status: "processing", errorCode: "storage_full" });
      room = true;
      expect(await final(15_000)).toMatchObject({ status: "succeeded", errorCode: null });
      expect(downloads).toBe(1);
    });
  });

  describe("with several instances sharing the store", () => {
    it("sends one create however many instances are kicked at once", async () => {
      const { provider, calls } = scriptedProvider({});
      const { startTracker, final } = await setup(provider);
      const instances = ["instance-a", "instance-b", "instance-c"].map((id) => startTracker(id));
      await Promise.all(instances.map((instance) => instance.start()));
      for (let i = 0; i < 10; i++) for (const instance of instances) instance.kick("gen1");
      expect((await final()).status).toBe("succeeded");
      expect(calls.create).toBe(1);
      expect(calls.maxConcurrentGets).toBe(1);
    });

    it("sends one create even from two processes that share an instance name (one DATA_DIR)", async () => {
      const { provider, calls, snapshot } = scriptedProvider({
        create: async () => {
          await new Promise((resolve) => setTimeout(resolve, 50));
          return snapshot("queued");
        },
      });
      const { startTracker, repository } = await setup(provider);
      // Same name, so claims alone cannot keep them apart: the submit gate must.
      const twins = [startTracker("instance-a"), startTracker("instance-a")];
      await Promise.all(twins.map((twin) => twin.start()));
      for (let i = 0; i < 10; i++) for (const twin of twins) twin.kick("gen1");
      for (let i = 0; i < 100 && (await repository.findById("gen1"))?.status !== "succeeded"; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(calls.create).toBe(1);
    });

    it("leaves a generation to the instance that claimed it while that claim is renewed", async () => {
      let release = () => {};
      const held = new Promise<void>((resolve) => (release = resolve));
      const { provider, calls, snapshot } = scriptedProvider({
        get: async () => {
          await held;
          return snapshot("succeeded", { videoUrl: "https://cdn/x.mp4", costUsd: "0.28", progress: 1 });
        },
      });
      const { repository, startTracker, final } = await setup(provider, { submitState: "submitted", upstreamTaskId: "t1", status: "processing" });
      const first = startTracker("instance-a", { leaseMs: 600 });
      await first.start();
      await new Promise((resolve) => setTimeout(resolve, 50));
      const second = startTracker("instance-b", { leaseMs: 600 });
      await second.start();
      for (let i = 0; i < 5; i++) second.kick("gen1");
      // Several leases long: the first instance keeps renewing, so the second never polls.
      await new Promise((resolve) => setTimeout(resolve, 2000));
      expect(calls.get).toBe(1);
      expect(calls.maxConcurrentGets).toBe(1);
      release();
      expect((await final()).status).toBe("succeeded");
      expect((await repository.findById("gen1"))?.status).toBe("succeeded");
    });

    it("takes over the generations of an instance that stopped, once its claim runs out", async () => {
      const { provider, calls } = scriptedProvider({});
      const { repository, startTracker, final } = await setup(provider, { submitState: "submitted", upstreamTaskId: "t1", status: "processing" });
      // An instance that claimed it and then died: its claim is never renewed.
      const claimedAt = Date.now();
      await repository.claim("gen1", { owner: "dead-instance", until: new Date(claimedAt + 400).toISOString(), now: new Date(claimedAt).toISOString() });
      const survivor = startTracker("instance-b", { leaseMs: 150 });
      await survivor.start();
      survivor.kick("gen1");
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(calls.get).toBe(0);
      expect((await final()).status).toBe("succeeded");
      expect(Date.now() - claimedAt).toBeGreaterThanOrEqual(400);
      expect(calls.get).toBeGreaterThan(0);
    });

    it("does not send a create that a stopped instance may have sent, even after taking it over", async () => {
      const { provider, calls } = scriptedProvider({});
      const { repository, startTracker, final } = await setup(provider, { submitState: "submitting" });
      const claimedAt = Date.now();
      await repository.claim("gen1", { owner: "dead-instance", until: new Date(claimedAt + 100).toISOString(), now: new Date(claimedAt).toISOString() });
      await startTracker("instance-b", { leaseMs: 150 }).start();
      expect(await final()).toMatchObject({ status: "failed", errorCode: "submit_interrupted" });
      expect(calls.create).toBe(0);
    });

    it("a restarted instance takes its own generations back at once", async () => {
      const { provider, calls } = scriptedProvider({});
      const { repository, startTracker, final } = await setup(provider, { submitState: "submitted", upstreamTaskId: "t1", status: "processing" });
      const claimedAt = Date.now();
      await repository.claim("gen1", { owner: "instance-a", until: new Date(claimedAt + 60_000).toISOString(), now: new Date(claimedAt).toISOString() });
      await startTracker("instance-a").start();
      expect((await final()).status).toBe("succeeded");
      expect(Date.now() - claimedAt).toBeLessThan(5_000);
      expect(calls.create).toBe(0);
    });
  });
});
