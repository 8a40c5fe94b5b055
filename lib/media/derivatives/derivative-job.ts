import "server-only";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { imageSize } from "image-size";
import type { GenerationRecord } from "@/lib/generations/generation-record";
import { mp4HeadProblem } from "@/lib/media/is-mp4";
import type { MediaStore } from "@/lib/media/media-store";
import type { DerivativeRunner, VideoFacts } from "./derivative-runner";
import type { DerivativeRecord, DerivativeRepository } from "./derivative-record";
import { derivativeKeyFor } from "./derivative-keys";
import { lightSize } from "./derivative-sizes";
import { outsideBounds } from "./result-bounds";
import { RunTimeoutError } from "@/lib/ffmpeg/run-bounded";

export interface DerivativeLog {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

export interface DerivativeJobOptions {
  repository: Pick<DerivativeRepository, "finish" | "progress">;
  media: MediaStore;
  runner: DerivativeRunner;
  findGeneration(id: string): Promise<GenerationRecord | undefined>;
  instanceId: string;
  log: DerivativeLog;
  maxBytes: number;
  iso(): string;
}

/** A job that failed for a passing reason is tried this many times in all. */
const MAX_RUNS = 3;
/** Probed results remembered per instance, so each is probed once (a refused one is never downloaded again). */
const REMEMBERED_PROBES = 500;

/** Not worth another run: the same file or the same limit gives the same answer. */
class FinalFailure extends Error {}

/**
 * What to make from a stored result: probe it once, refuse one far outside the spec, and make the
 * job's file with the runner by `until`. The queue, leases and wake-ups are the service's.
 */
export function createDerivativeJob(options: DerivativeJobOptions) {
  const { repository, media, runner, log } = options;
  const probes = new Map<string, VideoFacts>();

  async function factsOf(job: DerivativeRecord, input: string, until: number): Promise<VideoFacts> {
    const facts = probes.get(job.generationId) ?? (await runner.probe(input, until));
    if (probes.size >= REMEMBERED_PROBES) probes.delete(probes.keys().next().value ?? "");
    probes.set(job.generationId, facts);
    return facts;
  }

  async function run(job: DerivativeRecord, until: number): Promise<void> {
    const started = Date.now();
    const dir = await mkdtemp(path.join(tmpdir(), "portrait-live-derive-"));
    try {
      const known = probes.get(job.generationId);
      const refusedBefore = known && outsideBounds(known);
      if (refusedBefore) throw new FinalFailure(refusedBefore);
      const record = await options.findGeneration(job.generationId);
      if (!record || record.status !== "succeeded" || !record.resultKey) throw new FinalFailure("The video is no longer stored.");
      const input = path.join(dir, "original.mp4");
      await pipeline(await media.read(record.resultKey), createWriteStream(input));
      const facts = await factsOf(job, input, until);
      const refused = outsideBounds(facts);
      if (refused) throw new FinalFailure(refused);
      const output = path.join(dir, path.basename(derivativeKeyFor(job.generationId, job.kind, job.pingPong)));
      let lastWrite = 0;
      const onProgress = (value: number) => {
        const at = Date.now();
        if (at - lastWrite < 500) return;
        lastWrite = at;
        void repository.progress(job, options.instanceId, Math.max(0, Math.min(0.99, value)), options.iso()).catch(() => undefined);
      };
      const size = await make(job, input, output, facts, until, onProgress);
      const key = derivativeKeyFor(job.generationId, job.kind, job.pingPong);
      const bytes = (await stat(output)).size;
      if (job.kind === "web" || job.kind === "light") {
        // Streamed: a result may be large, and S3 takes it as a multipart upload.
        const body = Readable.toWeb(createReadStream(output)) as unknown as ReadableStream<Uint8Array>;
        await media.putStream(key, body, { maxBytes: options.maxBytes, checkHead: mp4HeadProblem });
      } else {
        await media.putBuffer(key, await readFile(output));
      }
      const finished = await repository.finish(job, options.instanceId, { state: "ready", mediaKey: key, bytes, ...size }, options.iso());
      log.info(
        { generationId: job.generationId, kind: job.kind, pingPong: job.pingPong, bytes, ms: Date.now() - started, stored: finished },
        "derivative made",
      );
    } catch (error) {
      await fail(job, error);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  async function fail(job: DerivativeRecord, error: unknown) {
    const message = error instanceof Error ? error.message : String(error);
    const final = error instanceof FinalFailure || error instanceof RunTimeoutError;
    const retry = !final && job.runs < MAX_RUNS;
    log.warn({ generationId: job.generationId, kind: job.kind, reason: message.slice(0, 300), retry }, "derivative failed");
    const shown =
      error instanceof FinalFailure
        ? message
        : error instanceof RunTimeoutError
          ? "Making this file took too long and was stopped."
          : "The file could not be made from this video.";
    await repository.finish(job, options.instanceId, { state: retry ? "queued" : "failed", error: shown }, options.iso()).catch(() => undefined);
  }

  async function make(
    job: DerivativeRecord,
    input: string,
    output: string,
    facts: VideoFacts,
    until: number,
    onProgress: (value: number) => void,
  ): Promise<{ width: number | null; height: number | null }> {
    const madeImageSize = async () => {
      const dimensions = imageSize(await readFile(output));
      return { width: dimensions.width ?? null, height: dimensions.height ?? null };
    };
    switch (job.kind) {
      case "frame":
        await runner.frame(input, output, until);
        return { width: facts.width, height: facts.height };
      case "preview":
        await runner.preview(input, output, facts, until);
        return madeImageSize();
      case "web":
        await runner.remux(input, output, until);
        return { width: facts.width, height: facts.height };
      case "light":
        await runner.light(input, output, facts, until, onProgress);
        return lightSize(facts);
      case "gif":
      case "webp":
        await runner.loop(input, output, facts, { format: job.kind, pingPong: job.pingPong }, until, onProgress);
        return madeImageSize();
    }
  }

  return { run };
}
