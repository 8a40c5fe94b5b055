import "server-only";
import path from "node:path";
import { env } from "@/lib/env";
import type { Coordination } from "@/lib/coordination/coordination";
import { createProcessCoordination } from "@/lib/coordination/process-coordination";
import { createGenerationEvents, type GenerationEvents } from "@/lib/generations/generation-events";
import { createGenerationStreamHub, type GenerationStreamHub } from "@/lib/generations/generation-stream-hub";
import { streamPresenter } from "@/lib/generations/present-generations";
import { createStreamCaps, type StreamCaps } from "@/lib/http/stream-caps";
import { createGenerationService, type GenerationService } from "@/lib/generations/generation-service";
import type { GenerationRepository } from "@/lib/generations/generation-repository";
import { removeGenerations, type GenerationRemovalDeps, type RemoveOptions } from "@/lib/generations/remove-generations";
import type { ViewContext } from "@/lib/generations/to-generation-view";
import { log } from "@/lib/log";
import type { MediaStore } from "@/lib/media/media-store";
import { mediaKindFor, openMediaStore } from "@/lib/media/open-media-store";
import { createAdmissionGuard, type AdmissionGuard } from "@/lib/limits/admission-guard";
import { createLoginLimiters, type LoginLimiters } from "@/lib/limits/login-limiters";
import { createKyselyGenerationRepository } from "@/lib/store/kysely-generation-repository";
import { createKyselyUploadRepository } from "@/lib/store/kysely-upload-repository";
import { createKyselySessionRepository } from "@/lib/store/kysely-session-repository";
import type { SessionRepository } from "@/lib/sessions/session-record";
import { createSessionWatch, type SessionWatch } from "@/lib/sessions/session-watch";
import { observeWrites } from "@/lib/store/observed-repository";
import { openStore, storeKindFor } from "@/lib/store/open-store";
import { createDerivativeService, type DerivativeService } from "@/lib/media/derivatives/derivative-service";
import { createFfmpegRunner } from "@/lib/media/derivatives/ffmpeg-runner";
import { ffmpegInUse, logFfmpegInUse } from "@/lib/media/derivatives/ffmpeg-in-use";
import { createKyselyDerivativeRepository } from "@/lib/store/kysely-derivative-repository";
import { createGenerationTracker, type GenerationTracker } from "@/lib/tracker/generation-tracker";
import { createDemoProvider } from "@/lib/upstream/demo/demo-provider";
import type { GenerationProvider } from "@/lib/upstream/provider";
import { createVtrixProvider } from "@/lib/upstream/vtrix/vtrix-provider";
import { createUploadGuard } from "@/lib/uploads/upload-guard";
import { createUploadService, type UploadService } from "@/lib/uploads/upload-service";
import { createUploadSweeper, sweepIntervalFor } from "@/lib/uploads/upload-sweeper";
import type { AppMode } from "@/lib/contracts/video-spec";
import { createKyselyQueueStore } from "@/lib/queue/kysely-queue-store";
import { createQueueService, type QueueService } from "@/lib/queue/queue-service";
import { createKyselyTakeStore, type TakeStore } from "@/lib/takes/kysely-take-store";
import { createTakeService, type TakeService } from "@/lib/takes/take-service";
import { appMode } from "./app-mode";
import { instanceIdIn } from "./instance-id";

export interface Services {
  mode: AppMode;
  repository: GenerationRepository;
  media: MediaStore;
  provider: GenerationProvider;
  tracker: GenerationTracker;
  generations: GenerationService;
  /** Admission of paid generations (rate limits, in-flight cap, budgets). */
  guard: AdmissionGuard;
  uploads: UploadService;
  events: GenerationEvents;
  viewContext: ViewContext;
  sessions: SessionRepository;
  /** Which open sessions have ended, so event streams close with their session. */
  sessionWatch: SessionWatch;
  /** One follower per generation shared by all its open event streams. */
  streams: GenerationStreamHub;
  /** Open event streams per client and in total (EVENT_STREAMS_PER_CLIENT, EVENT_STREAMS_MAX). */
  streamCaps: StreamCaps;
  coordination: Coordination;
  loginLimiters: LoginLimiters;
  takes: TakeService;
  /** Deletes generations and everything made from them (lib/generations/remove-generations.ts). */
  removeGenerations(ids: readonly string[], options?: RemoveOptions): Promise<string[]>;
  /** Take sets as stored (the service above composes them for answers). */
  takeStore: TakeStore;
  queue: QueueService;
  derivatives: DerivativeService;
}

/** Demo tasks run on this machine, so following them closely costs nothing. */
const DEMO_POLL_INTERVAL_MS = 1_000;
/** Queue estimates before any generation has finished: about how long a live task runs. */
const TYPICAL_LIVE_DURATION_MS = 90_000;

async function createServices(): Promise<Services> {
  const config = env();
  const mode = appMode();
  const dataDir = path.resolve(config.DATA_DIR);
  const db = await openStore(config, dataDir);
  // After the store: its migrations make the tables the shared counters live in.
  const coordination = config.DATABASE_URL
    ? await (
        await import("@/lib/coordination/postgres-coordination")
      ).createPostgresCoordination({
        connectionString: config.DATABASE_URL,
        log: log().child({ component: "coordination" }),
      })
    : createProcessCoordination();
  const events = createGenerationEvents(coordination);
  const instanceId = await instanceIdIn(dataDir);
  const baseRepository = createKyselyGenerationRepository(db);
  const uploadRepository = createKyselyUploadRepository(db);
  const { media, location: mediaLocation } = await openMediaStore(config, dataDir, (reason) => log().warn({ reason }, "media store check failed"));
  // Derived media (poster frame, web remux, light rendition, loops) follow stored results from outside the tracker.
  const derivatives = createDerivativeService({
    repository: createKyselyDerivativeRepository(db),
    media,
    runner: createFfmpegRunner({ binaries: ffmpegInUse(config), memoryMb: config.FFMPEG_MEMORY_MB }),
    jobTimeoutMs: config.FFMPEG_TIMEOUT_MS,
    findGeneration: (id) => baseRepository.findById(id),
    instanceId,
    bus: coordination,
    log: log().child({ component: "derivatives" }),
    maxBytes: config.MAX_RESULT_BYTES,
  });
  const repository = observeWrites(baseRepository, (id, transition) => {
    events.emit(id);
    derivatives.noticeChange(id, transition);
  });
  void logFfmpegInUse(config, log().child({ component: "ffmpeg" }));
  const swept = await media.sweep().catch((error: unknown) => {
    log().warn({ err: error }, "could not sweep unfinished media writes");
    return { removed: 0 };
  });
  if (swept.removed > 0) log().info({ removed: swept.removed }, "removed files left by interrupted media writes");
  const provider =
    config.VTRIX_API_KEY !== undefined
      ? createVtrixProvider({
          baseUrl: config.VTRIX_BASE_URL,
          apiKey: config.VTRIX_API_KEY,
          timeoutMs: config.UPSTREAM_TIMEOUT_MS,
          results: {
            timeoutMs: Math.max(config.UPSTREAM_TIMEOUT_MS, 120_000),
            maxBytes: config.MAX_RESULT_BYTES,
            allowInsecure: config.ALLOW_INSECURE_RESULT_URLS,
          },
        })
      : createDemoProvider({
          workDir: path.join(dataDir, "demo"),
          durationMs: config.DEMO_DURATION_MS,
          ffmpeg: { binary: ffmpegInUse(config).ffmpeg, timeoutMs: config.FFMPEG_TIMEOUT_MS, memoryMb: config.FFMPEG_MEMORY_MB },
          // Past its deadline the tracker has failed the generation and released the task.
          maxTaskAgeMs: config.GENERATION_DEADLINE_MS + 3_600_000,
        });

  const publicBaseUrl = config.PUBLIC_BASE_URL;
  const pollIntervalMs = mode === "demo" ? Math.min(config.POLL_INTERVAL_MS, DEMO_POLL_INTERVAL_MS) : config.POLL_INTERVAL_MS;
  const queueStore = createKyselyQueueStore(db, config.MAX_IN_FLIGHT);
  const tracker = createGenerationTracker({
    queue: {
      maxInFlight: config.MAX_IN_FLIGHT,
      recheckMs: Math.max(pollIntervalMs, 2_000),
      mayStart: queueStore.mayStart,
      nudge: (id) => coordination.publish({ type: "nudge", id }),
      oldestWaiting: queueStore.oldestWaiting,
    },
    budget: { maxSpendUsdDay: config.MAX_SPEND_USD_DAY, maxSpendUsdMonth: config.MAX_SPEND_USD_MONTH, costEstimateUsd: config.COST_ESTIMATE_USD },
    repository,
    media,
    provider,
    log: log().child({ component: "tracker" }),
    pollIntervalMs,
    deadlineMs: config.GENERATION_DEADLINE_MS,
    maxResultBytes: config.MAX_RESULT_BYTES,
    instanceId,
    leaseMs: config.TRACKER_LEASE_MS,
    callbackUrlFor: publicBaseUrl && mode === "live" ? (record) => `${publicBaseUrl}/api/callbacks/vtrix/${record.callbackSecret}` : undefined,
  });
  const guard = createAdmissionGuard(
    {
      perClientPerMinute: config.CREATE_LIMIT_PER_CLIENT_PER_MINUTE,
      globalPerMinute: config.CREATE_LIMIT_GLOBAL_PER_MINUTE,
      maxInFlight: config.MAX_IN_FLIGHT,
      maxQueued: config.MAX_QUEUED,
      maxSpendUsdDay: config.MAX_SPEND_USD_DAY,
      maxSpendUsdMonth: config.MAX_SPEND_USD_MONTH,
      costEstimateUsd: config.COST_ESTIMATE_USD,
    },
    repository,
    undefined,
    coordination,
  );
  const uploadTtlMs = config.UPLOAD_TTL_HOURS * 3_600_000;
  const uploads = createUploadService({
    uploads: uploadRepository,
    media,
    guard: createUploadGuard(
      {
        perClientPerMinute: config.UPLOAD_LIMIT_PER_CLIENT_PER_MINUTE,
        globalPerMinute: config.UPLOAD_LIMIT_GLOBAL_PER_MINUTE,
        unusedMaxBytes: config.UPLOAD_UNUSED_MAX_MB * 1024 * 1024,
      },
      uploadRepository.unusedBytes,
      coordination,
    ),
    ttlMs: uploadTtlMs,
    warn: (details, message) => log().warn(details, message),
  });
  const generations = createGenerationService({
    repository,
    uploads,
    tracker,
    nudgeFollower: (id) => coordination.publish({ type: "nudge", id }),
    guard,
    notifications: provider,
    costEstimateUsd: config.COST_ESTIMATE_USD,
    mode,
  });

  const takeStore = createKyselyTakeStore(db);
  const removalLog = log().child({ component: "removal" });
  const removalDeps: GenerationRemovalDeps = {
    generations: repository,
    takes: takeStore,
    tracker,
    derivatives,
    media,
    uploads,
    warn: (details, message) => removalLog.warn(details, message),
  };
  const removal = (ids: readonly string[], options?: RemoveOptions) => removeGenerations(ids, removalDeps, options);
  const takes = createTakeService({ store: takeStore, repository, removeGenerations: removal, uploads, tracker, guard, mode });
  const queue = createQueueService({
    store: queueStore,
    repository,
    tracker,
    maxInFlight: config.MAX_IN_FLIGHT,
    maxQueued: config.MAX_QUEUED,
    costEstimateUsd: config.COST_ESTIMATE_USD,
    maxSpendUsdDay: config.MAX_SPEND_USD_DAY,
    maxSpendUsdMonth: config.MAX_SPEND_USD_MONTH,
    typicalDurationMs: mode === "demo" ? config.DEMO_DURATION_MS : TYPICAL_LIVE_DURATION_MS,
  });

  const sessions = createKyselySessionRepository(db);
  const sessionWatch = createSessionWatch({
    find: (id) => sessions.find(id),
    bus: coordination,
    warn: (details, message) => log().child({ component: "session-watch" }).warn(details, message),
  });

  await derivatives.start();
  await tracker.start();
  coordination.subscribe((message) => {
    if (message.type === "nudge") tracker.kick(message.id);
  });
  createUploadSweeper({ sweep: uploads.sweep, intervalMs: sweepIntervalFor(uploadTtlMs), log: log().child({ component: "upload-sweep" }) }).start();
  log().info(
    { mode, store: storeKindFor(config), media: mediaKindFor(config), mediaLocation, dataDir, upstream: mode === "live" ? config.VTRIX_BASE_URL : "demo" },
    "services ready",
  );
  const viewSources = { viewContext: { publicBaseUrl }, takes, queue, derivatives };
  const streams = createGenerationStreamHub({
    events,
    read: (id) => repository.findById(id),
    newViewer: () => streamPresenter(viewSources).presentOne,
    warn: (details, message) => log().warn(details, message),
  });
  return {
    mode,
    repository,
    media,
    provider,
    tracker,
    generations,
    guard,
    uploads,
    events,
    viewContext: viewSources.viewContext,
    sessions,
    sessionWatch,
    streams,
    streamCaps: createStreamCaps({ perClient: config.EVENT_STREAMS_PER_CLIENT, total: config.EVENT_STREAMS_MAX }),
    coordination,
    loginLimiters: createLoginLimiters(coordination, { perClient: config.LOGIN_ATTEMPTS_PER_15_MIN, global: config.LOGIN_ATTEMPTS_GLOBAL_PER_15_MIN }),
    takes,
    removeGenerations: removal,
    takeStore,
    queue,
    derivatives,
  };
}

const globalForServices = globalThis as unknown as { portraitLiveServices?: Promise<Services> };

/** One set of services (and so one tracker) per server process. */
export function services(): Promise<Services> {
  globalForServices.portraitLiveServices ??= createServices().catch((error: unknown) => {
    globalForServices.portraitLiveServices = undefined;
    throw error;
  });
  return globalForServices.portraitLiveServices;
}
