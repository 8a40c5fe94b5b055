import "server-only";
import { createReadStream } from "node:fs";
import { mkdir, readdir, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { customAlphabet } from "nanoid";
import sharp from "sharp";
import { UpstreamError, type CreateTaskRequest, type GenerationProvider, type TaskSnapshot } from "@/lib/upstream/provider";
import { bundledFfmpeg } from "@/lib/ffmpeg/ffmpeg-binaries";
import { renderDemoVideo, type DemoFfmpeg } from "./render-demo-video";

const DEMO_URL_PREFIX = "demo://";
const randomPart = customAlphabet("0123456789abcdefghijklmnopqrstuvwxyz", 12);
const TASK_ID_PATTERN = /^demo-([0-9a-z]+)-([0-9a-z]{12})$/;
/** A render may fail for a passing reason (a busy machine); past this many tries the task fails. */
const RENDER_ATTEMPTS = 3;
const RENDER_FAILED = { code: "demo_render_failed", message: "The demo video could not be made from this portrait." };
/** Work files of a task this old are no longer wanted by anyone (the app gives up on a generation sooner). */
const DEFAULT_MAX_TASK_AGE_MS = 24 * 3_600_000;

export interface DemoProviderOptions {
  workDir: string;
  durationMs: number;
  /** The ffmpeg that renders, with its limits; the bundled build with 2 minutes and 1 GB when unset. */
  ffmpeg?: DemoFfmpeg;
  /** Work files of tasks older than this are removed (a crash or a deleted generation left them). */
  maxTaskAgeMs?: number;
}

/**
 * A provider that needs no key: it walks the same lifecycle as the real one and
 * produces a real MP4 from the portrait. Its state lives in files, so it survives a
 * restart like a real upstream would.
 */
export function createDemoProvider(options: DemoProviderOptions): GenerationProvider & {
  /** The app is done with the task (its video stored, or it failed): its work files go. */
  releaseTask(taskId: string): Promise<void>;
} {
  const rendering = new Map<string, Promise<void>>();
  const rendered = new Set<string>();
  const renderFailures = new Map<string, number>();
  const imagePath = (taskId: string) => path.join(options.workDir, `${taskId}.jpg`);
  const videoPath = (taskId: string) => path.join(options.workDir, `${taskId}.mp4`);
  /** Marks a task whose render failed for good, so it stays failed after a restart. */
  const failedPath = (taskId: string) => path.join(options.workDir, `${taskId}.failed`);
  const ffmpeg = options.ffmpeg ?? { binary: bundledFfmpeg(), timeoutMs: 120_000, memoryMb: 1_024 };
  const maxTaskAgeMs = options.maxTaskAgeMs ?? DEFAULT_MAX_TASK_AGE_MS;

  /** Removes the work files of tasks past their age, except one still rendering. */
  async function sweepOld(): Promise<void> {
    const names = await readdir(options.workDir).catch(() => [] as string[]);
    for (const name of names) {
      const taskId = /^(demo-[0-9a-z]+-[0-9a-z]{12})\./.exec(name)?.[1];
      const created = taskId ? parseInt(TASK_ID_PATTERN.exec(taskId)?.[1] ?? "", 36) : NaN;
      if (taskId && Date.now() - created > maxTaskAgeMs && !rendering.has(taskId)) await rm(path.join(options.workDir, name), { force: true });
    }
  }
  // At start-up: what an earlier run left.
  void sweepOld();

  function ensureRendered(taskId: string): Promise<void> {
    let job = rendering.get(taskId);
    if (!job) {
      job = (async () => {
        if (await exists(videoPath(taskId))) return;
        const { width = 720, height = 1280 } = await sharp(imagePath(taskId)).metadata();
        await renderDemoVideo({ imagePath: imagePath(taskId), outputPath: videoPath(taskId), width, height }, ffmpeg);
      })().then(() => {
        rendered.add(taskId);
      });
      // A failed render is tried again by a later poll, a few times.
      job.catch(async () => {
        rendering.delete(taskId);
        const failures = (renderFailures.get(taskId) ?? 0) + 1;
        renderFailures.set(taskId, failures);
        if (failures >= RENDER_ATTEMPTS) await writeFile(failedPath(taskId), "", { mode: 0o600 }).catch(() => undefined);
      });
      rendering.set(taskId, job);
    }
    return job;
  }

  async function snapshot(taskId: string): Promise<TaskSnapshot> {
    const match = TASK_ID_PATTERN.exec(taskId);
    if (!match?.[1] || !(await exists(imagePath(taskId)))) {
      throw new UpstreamError("not_found", "The demo task no longer exists.", { httpStatus: 404, taskMayExist: false });
    }
    const elapsed = Date.now() - parseInt(match[1], 36);
    const queuedFor = options.durationMs * 0.15;
    const base = { taskId, videoUrl: null, costUsd: null, error: null, recognisedStatus: true };
    if (elapsed < queuedFor) return { ...base, state: "queued", progress: 0, providerStatus: "pending" };
    if ((renderFailures.get(taskId) ?? 0) >= RENDER_ATTEMPTS || (await exists(failedPath(taskId)))) {
      return { ...base, state: "failed", progress: null, error: RENDER_FAILED, providerStatus: "failed" };
    }

    // Rendering starts with processing and runs beside the simulated wait.
    ensureRendered(taskId).catch(() => undefined);
    if (elapsed < options.durationMs || !rendered.has(taskId)) {
      const progress = Math.min(0.99, (elapsed - queuedFor) / (options.durationMs - queuedFor || 1));
      return { ...base, state: "processing", progress: Math.max(0, progress), providerStatus: "processing" };
    }
    return {
      ...base,
      state: "succeeded",
      progress: 1,
      videoUrl: `${DEMO_URL_PREFIX}${taskId}`,
      providerStatus: "completed",
    };
  }

  return {
    mode: "demo",

    async createTask(request: CreateTaskRequest) {
      await request.beforeSend?.();
      const taskId = `demo-${Date.now().toString(36)}-${randomPart()}`;
      // The portrait is private, as in the media folder.
      await mkdir(options.workDir, { recursive: true, mode: 0o700 });
      // A plain baseline JPEG: the bundled ffmpeg cannot decode some of the optimised JPEGs
      // the app stores (a flat, single-colour crop), and the demo would wait on it forever.
      const baseline = await sharp(request.image.bytes).jpeg({ quality: 92, mozjpeg: false, progressive: false }).toBuffer();
      await writeFile(imagePath(taskId), baseline, { mode: 0o600 });
      await sweepOld();
      return snapshot(taskId);
    },

    getTask: snapshot,

    // Demo tasks run on this server and never call back.
    taskIdFromNotification: () => null,

    async releaseTask(taskId: string) {
      if (!TASK_ID_PATTERN.test(taskId)) return;
      // A render still running writes its file after this: wait for it first.
      await rendering.get(taskId)?.catch(() => undefined);
      rendering.delete(taskId);
      rendered.delete(taskId);
      renderFailures.delete(taskId);
      await Promise.all(
        [imagePath(taskId), videoPath(taskId), `${videoPath(taskId)}.partial.mp4`, failedPath(taskId)].map((file) => rm(file, { force: true })),
      );
    },

    async openResult(videoUrl: string) {
      const taskId = videoUrl.startsWith(DEMO_URL_PREFIX) ? videoUrl.slice(DEMO_URL_PREFIX.length) : "";
      if (!TASK_ID_PATTERN.test(taskId)) {
        throw new UpstreamError("result_invalid", "Not a demo video link.", { taskMayExist: false });
      }
      const file = videoPath(taskId);
      const { size } = await stat(file);
      return { body: Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>, contentLength: size };
    },
  };
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}
