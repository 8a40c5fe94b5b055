import "server-only";
import { BASE_DERIVATIVE_KINDS, type LoopFormat } from "@/lib/contracts/derived-media";
import type { Coordination } from "@/lib/coordination/coordination";
import type { GenerationRecord } from "@/lib/generations/generation-record";
import type { GenerationTransition } from "@/lib/generations/generation-repository";
import type { MediaStore } from "@/lib/media/media-store";
import { createDerivativeJob, type DerivativeLog } from "./derivative-job";
import type { DerivativeRunner } from "./derivative-runner";
import type { DerivativeKind, DerivativeRecord, DerivativeRef, DerivativeRepository } from "./derivative-record";

export interface DerivativeServiceOptions {
  repository: DerivativeRepository;
  media: MediaStore;
  runner: DerivativeRunner;
  findGeneration(id: string): Promise<GenerationRecord | undefined>;
  instanceId: string;
  log: DerivativeLog;
  /** How long a started job stays this instance's without a heartbeat. */
  leaseMs?: number;
  /**
   * Wall-clock limit of one job, every ffmpeg run in it (FFMPEG_TIMEOUT_MS): its ffmpeg is killed
   * then, and its lease is never renewed past it, so a hung run holds the queue no longer.
   */
  jobTimeoutMs?: number;
  /**
   * Tells every instance's worker of newly queued work (and hears theirs), so none has to poll.
   * Without it only this instance's own requests and the sweep wake the worker.
   */
  bus?: Pick<Coordination, "publish" | "subscribe">;
  /**
   * The safety net: how often to look for work a lost message left queued, jobs whose worker's
   * lease ran out, results without derivatives and files of deleted generations.
   */
  sweepMs?: number;
  maxBytes: number;
  now?: () => Date;
}

/** What a page shows at once comes first; what a visitor waits for next; the rest after. */
const PRIORITY: Record<DerivativeKind, number> = { preview: 0, frame: 1, gif: 2, webp: 2, web: 3, light: 4 };
/** Results stored before derivatives existed wait behind everything new. */
const BACKFILL = 10;
/** Time to kill a run at its limit and record the failure before another worker may take the job. */
const LEASE_GRACE_MS = 5_000;

export interface DerivativeService {
  /** Queues preview, frame, web remux and light rendition for a stored result (once; later calls do nothing). */
  ensureBase(generationId: string, options?: { backfill?: boolean }): Promise<void>;
  /** Queues a loop (once per generation, format and ping-pong) and returns its job. */
  requestLoop(generationId: string, format: LoopFormat, pingPong: boolean): Promise<DerivativeRecord>;
  find(ref: DerivativeRef): Promise<DerivativeRecord | undefined>;
  listFor(generationId: string): Promise<DerivativeRecord[]>;
  /** The jobs of several generations in one read (one without any is absent). */
  listForMany(generationIds: readonly string[]): Promise<Map<string, DerivativeRecord[]>>;
  /**
   * The key of a ready derivative, or null. When the result has no derivatives yet (stored
   * before they existed) they are queued now.
   */
  readyKey(record: GenerationRecord, kind: DerivativeKind): Promise<string | null>;
  shareLoops(generationId: string): Promise<boolean>;
  setShareLoops(generationId: string, allowed: boolean): Promise<void>;
  /** Removes every derived file and setting of a deleted generation (the sweep catches any file a crash left). */
  removeAll(generationId: string): Promise<void>;
  /**
   * A write to a generation was applied (`transition`: the update's; none for inserts and
   * deletes): a newly stored result gets its derivatives. Never reads the store.
   */
  noticeChange(generationId: string, transition?: GenerationTransition): void;
  kick(): void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createDerivativeService(options: DerivativeServiceOptions): DerivativeService {
  const { repository, media, log } = options;
  const leaseMs = options.leaseMs ?? 60_000;
  const jobTimeoutMs = options.jobTimeoutMs ?? 120_000;
  const now = () => (options.now ? options.now() : new Date());
  const iso = (offsetMs = 0) => new Date(now().getTime() + offsetMs).toISOString();
  const job = createDerivativeJob({ ...options, iso: () => iso() });
  /** Generations whose base jobs are known to exist, so repeated writes cost no query. */
  const based = new Set<string>();
  let draining: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  const timers: NodeJS.Timeout[] = [];
  let unsubscribe: (() => void) | null = null;

  /** Work was queued: this worker and every other instance's look for it now. */
  function announce() {
    // A listening sender hears its own message (both coordinations deliver it locally at once).
    if (!unsubscribe) kick();
    options.bus?.publish({ type: "derivatives_queued" });
  }

  async function ensureBase(generationId: string, opts: { backfill?: boolean } = {}) {
    if (based.has(generationId)) return;
    for (const kind of BASE_DERIVATIVE_KINDS) {
      await repository.request({ generationId, kind, pingPong: false }, PRIORITY[kind] + (opts.backfill ? BACKFILL : 0), iso());
    }
    based.add(generationId);
    announce();
  }

  function kick() {
    if (stopped) return;
    if (draining) {
      again = true;
      return;
    }
    draining = drain()
      .catch((error: unknown) => log.warn({ err: error }, "derivative queue stopped on an error"))
      .finally(() => {
        draining = null;
        if (again) {
          again = false;
          kick();
        }
      });
  }

  /** Concurrency 1: one ffmpeg at a time per instance, off every request's path. */
  async function drain() {
    for (;;) {
      if (stopped) return;
      const until = Date.now() + jobTimeoutMs;
      // The lease ends with the job's limit (and a grace to record the failure), whatever leaseMs says.
      const leaseEnd = () => iso(Math.min(leaseMs, until - Date.now() + LEASE_GRACE_MS));
      const claimed = await repository.claimNext(options.instanceId, iso(), leaseEnd());
      if (!claimed) return;
      const heartbeat = setInterval(
        () => {
          if (Date.now() < until) void repository.renew(options.instanceId, leaseEnd()).catch(() => undefined);
        },
        Math.max(1_000, leaseMs / 3),
      );
      try {
        await job.run(claimed, until);
      } finally {
        clearInterval(heartbeat);
      }
    }
  }

  async function sweep() {
    try {
      for (const id of await repository.listMissing(20)) await ensureBase(id, { backfill: true });
      for (const orphan of await repository.listOrphans(50)) {
        if (orphan.mediaKey) await media.delete(orphan.mediaKey);
        await repository.remove(orphan);
        based.delete(orphan.generationId);
      }
    } catch (error) {
      log.warn({ err: error }, "derivative sweep failed");
    }
  }

  return {
    ensureBase,
    kick,
    find: (ref) => repository.find(ref),
    listFor: (generationId) => repository.listFor(generationId),
    listForMany: (generationIds) => repository.listForMany(generationIds),
    shareLoops: (generationId) => repository.shareLoops(generationId),
    setShareLoops: (generationId, allowed) => repository.setShareLoops(generationId, allowed),

    async requestLoop(generationId, format, pingPong) {
      const job = await repository.request({ generationId, kind: format, pingPong }, PRIORITY[format], iso());
      if (job.state === "queued") announce();
      return job;
    },

    async readyKey(record, kind) {
      if (record.status !== "succeeded" || !record.resultKey) return null;
      const job = await repository.find({ generationId: record.id, kind, pingPong: false });
      if (job?.state === "ready") return job.mediaKey;
      if (!job) {
        // No job at all (made before derived media, or its rows were lost): queue them again.
        based.delete(record.id);
        await ensureBase(record.id);
      }
      return null;
    },

    async removeAll(generationId) {
      based.delete(generationId);
      for (const job of await repository.listFor(generationId)) {
        // A job still running writes its file after this; the orphan sweep removes it then.
        if (job.state === "running") continue;
        if (job.mediaKey) await media.delete(job.mediaKey);
        await repository.remove(job);
      }
      // Not only with the frame's row: a generation that never had one may have settings too.
      await repository.forgetSettings(generationId);
    },

    noticeChange(generationId, transition) {
      // Only the write that stores a result matters; every other write (progress, sharing) costs
      // nothing. Results stored before derived media existed are found on first use or by the sweep.
      if (stopped || based.has(generationId) || transition?.kind !== "stored") return;
      ensureBase(generationId).catch((error: unknown) => log.warn({ err: error, generationId }, "could not queue derivatives"));
    },

    async start() {
      const released = await repository.releaseAll(options.instanceId);
      if (released > 0) log.info({ released }, "resuming derivative jobs interrupted by a restart");
      // No polling: queued work is announced on the bus; the slow sweep catches what a lost message or a dead worker left.
      unsubscribe =
        options.bus?.subscribe((message) => {
          if (message.type === "derivatives_queued") kick();
        }) ?? null;
      timers.push(setInterval(() => void sweep().then(kick), options.sweepMs ?? 60_000));
      for (const timer of timers) timer.unref();
      void sweep().then(kick);
    },

    async stop() {
      stopped = true;
      unsubscribe?.();
      unsubscribe = null;
      for (const timer of timers) clearInterval(timer);
      await draining;
    },
  };
}
