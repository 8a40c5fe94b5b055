import type { Logger } from "pino";
import type { GenerationRecord, GenerationRepository } from "@/lib/generations/generation-record";
import { mp4HeadProblem } from "@/lib/media/is-mp4";
import { MediaWriteError, videoKeyFor, type MediaStore } from "@/lib/media/media-store";
import { UpstreamError, type GenerationProvider, type TaskSnapshot } from "@/lib/upstream/provider";
import { backoffDelay } from "./backoff";
import { submitTask } from "./submit-task";
import { confirmCreate } from "./unconfirmed-create";

export interface TrackerOptions {
  repository: GenerationRepository;
  media: MediaStore;
  provider: GenerationProvider;
  log: Logger;
  pollIntervalMs: number;
  deadlineMs: number;
  maxResultBytes: number;
  /** Where the provider should notify us, when the app has a public origin. */
  callbackUrlFor?: (record: GenerationRecord) => string | undefined;
  /**
   * This instance among the app servers sharing the store. Stable across restarts of one
   * instance, so a restarted server takes its own generations back at once.
   */
  instanceId: string;
  /**
   * How long a claim on a generation lasts unless renewed. Claims are renewed every third
   * of it; an instance that stops renewing loses its generations to the others after it.
   */
  leaseMs: number;
  now?: () => number;
}

export interface GenerationTracker {
  /** Picks up every unfinished generation nobody else follows (after a restart too), then keeps watching for orphans. */
  start(): Promise<void>;
  /** Work on this generation now (new generation, callback received), if no other instance follows it. */
  kick(id: string): void;
  /** Stop following this generation (it was deleted). */
  forget(id: string): void;
  stop(): void;
}

interface Followed {
  timer: NodeJS.Timeout | null;
  running: Promise<void> | null;
  rerun: boolean;
  failures: number;
}

const MAX_BACKOFF_MS = 60_000;
/** A result already paid for gets extra time to be copied before we give up on it. */
const RESULT_GRACE_MS = 60 * 60_000;

/**
 * Follows every in-flight generation from the server: one step per generation at a
 * time however many browsers watch, polling on an interval with backoff on errors.
 * Where several instances share the store, each generation is followed by the one
 * instance that claimed it; the others take it over only when that claim runs out.
 */
export function createGenerationTracker(options: TrackerOptions): GenerationTracker {
  const { repository, media, provider, log, instanceId } = options;
  const now = options.now ?? Date.now;
  const followed = new Map<string, Followed>();
  const claiming = new Set<string>();
  let heartbeat: NodeJS.Timeout | null = null;
  let stopped = false;

  const leaseEnd = () => new Date(now() + options.leaseMs).toISOString();

  /** Claims a generation and starts following it; does nothing when another instance holds it. */
  async function adopt(id: string) {
    if (stopped || followed.has(id) || claiming.has(id)) return;
    claiming.add(id);
    try {
      const claimed = await repository.claim(id, { owner: instanceId, until: leaseEnd(), now: new Date(now()).toISOString() });
      if (claimed && !stopped) run(id);
    } finally {
      claiming.delete(id);
    }
  }

  /** Renews this instance's claims, lets go of any it lost, and adopts generations nobody follows. */
  async function keepClaims() {
    // Only generations claimed before the renewal started can be missing from its answer for a reason.
    const followedBefore = [...followed.keys()];
    const held = new Set(await repository.renewClaims(instanceId, leaseEnd()));
    for (const id of followedBefore) {
      const state = followed.get(id);
      if (state && !held.has(id) && !state.running) {
        log.warn({ generationId: id }, "another instance took this generation over; letting go");
        done(id);
      }
    }
    const unfinished = await repository.listUnfinished();
    await Promise.all(unfinished.filter((record) => !followed.has(record.id)).map((record) => adopt(record.id)));
  }

  function entry(id: string): Followed {
    let state = followed.get(id);
    if (!state) {
      state = { timer: null, running: null, rerun: false, failures: 0 };
      followed.set(id, state);
    }
    return state;
  }

  function schedule(id: string, delayMs: number) {
    if (stopped) return;
    const state = entry(id);
    if (state.timer) clearTimeout(state.timer);
    state.timer = setTimeout(() => {
      state.timer = null;
      run(id);
    }, delayMs);
    state.timer.unref?.();
  }

  function run(id: string) {
    const state = entry(id);
    if (state.running) {
      // Single flight: a kick during a step asks for one more step right after it.
      state.rerun = true;
      return;
    }
    state.running = step(id)
      .catch((error: unknown) => {
        state.failures++;
        log.error({ err: error, generationId: id }, "tracker step failed");
        schedule(id, backoffDelay(options.pollIntervalMs, state.failures, MAX_BACKOFF_MS));
      })
      .finally(() => {
        state.running = null;
        if (state.rerun && followed.has(id)) {
          state.rerun = false;
          run(id);
        }
      });
  }

  function done(id: string) {
    const state = followed.get(id);
    if (state?.timer) clearTimeout(state.timer);
    followed.delete(id);
  }

  async function fail(record: GenerationRecord, code: string, message: string) {
    await repository.update(record.id, {
      status: "failed",
      errorCode: code,
      errorMessage: message,
      completedAt: new Date(now()).toISOString(),
    });
    log.info({ generationId: record.id, code }, "generation failed");
    done(record.id);
  }

  async function step(id: string): Promise<void> {
    const record = await repository.findById(id);
    if (!record || record.status === "succeeded" || record.status === "failed") return done(id);
    // Its own deadline, with a message that says the create went unconfirmed.
    if (record.submitState === "submitting") return awaitConfirmation(record);

    const age = now() - Date.parse(record.createdAt);
    const deadline = options.deadlineMs + (record.resultUrl ? RESULT_GRACE_MS : 0);
    if (age > deadline) {
      const minutes = Math.round(options.deadlineMs / 60_000);
      return fail(
        record,
        "deadline_exceeded",
        record.resultUrl
          ? "The video finished at the provider but could not be saved in time."
          : `The provider did not finish the video within ${minutes} minute${minutes === 1 ? "" : "s"}.`,
      );
    }

    if (record.submitState === "pending") return submit(record);
    return poll(record);
  }

  async function submit(record: GenerationRecord) {
    const state = entry(record.id);
    const callbackUrl = options.callbackUrlFor?.(record);
    const outcome = await submitTask(record, { repository, media, provider, instanceId, callbackUrl });
    if (outcome.kind === "gate_closed") return done(record.id);
    if (outcome.kind === "refused") {
      const { error } = outcome;
      if (error.kind === "rate_limited") {
        // Refused before anything started, so sending it again later is safe.
        state.failures++;
        return schedule(record.id, error.options.retryAfterMs ?? backoffDelay(options.pollIntervalMs, state.failures, MAX_BACKOFF_MS));
      }
      log.warn({ generationId: record.id, kind: error.kind, httpStatus: error.options.httpStatus }, "create task refused");
      return fail(record, `upstream_${error.kind}`, error.userMessage);
    }
    if (outcome.kind === "unconfirmed") {
      const { error } = outcome;
      log.warn(
        { generationId: record.id, kind: error.kind, httpStatus: error.options.httpStatus, err: outcome.cause, waitingForCallback: Boolean(callbackUrl) },
        "create task unconfirmed; never sent again",
      );
      // The provider may still name its task in a callback: wait for it (see awaitConfirmation).
      if (callbackUrl) return schedule(record.id, options.pollIntervalMs);
      return fail(
        record,
        `upstream_${error.kind}`,
        `${error.userMessage} The request was not repeated, so you are not charged twice; check your provider dashboard before retrying.`,
      );
    }
    state.failures = 0;
    log.info({ generationId: record.id, taskId: outcome.snapshot.taskId }, "task created");
    if (outcome.record) await apply(outcome.record, outcome.snapshot);
    else done(record.id);
  }

  /** A create that left without an answer: adopt the task a callback names once the provider confirms it, or give up at the deadline. */
  async function awaitConfirmation(record: GenerationRecord) {
    const state = entry(record.id);
    const confirmation = await confirmCreate(record, {
      repository,
      provider,
      callbacks: options.callbackUrlFor?.(record) !== undefined,
      deadlineMs: options.deadlineMs,
      pollIntervalMs: options.pollIntervalMs,
      now: now(),
    });
    switch (confirmation.kind) {
      case "adopted":
        state.failures = 0;
        log.info({ generationId: record.id, taskId: confirmation.snapshot.taskId }, "task of an unconfirmed create adopted from a callback");
        return confirmation.record ? apply(confirmation.record, confirmation.snapshot) : done(record.id);
      case "wait":
        return schedule(record.id, confirmation.delayMs);
      case "retry":
        state.failures++;
        log.warn({ generationId: record.id, err: confirmation.error, failures: state.failures }, "checking a task named by a callback failed; backing off");
        return schedule(record.id, backoffDelay(options.pollIntervalMs, state.failures, MAX_BACKOFF_MS));
      case "give_up":
        return fail(record, confirmation.code, confirmation.message);
    }
  }

  async function poll(record: GenerationRecord) {
    const state = entry(record.id);
    let snapshot: TaskSnapshot;
    try {
      snapshot = await provider.getTask(record.upstreamTaskId ?? "");
    } catch (error) {
      if (error instanceof UpstreamError && error.kind === "not_found") {
        return fail(record, "upstream_not_found", error.userMessage);
      }
      state.failures++;
      const kind = error instanceof UpstreamError ? error.kind : "unknown";
      log.warn({ generationId: record.id, kind, failures: state.failures }, "poll failed; backing off");
      const retryAfter = error instanceof UpstreamError ? error.options.retryAfterMs : undefined;
      return schedule(record.id, retryAfter ?? backoffDelay(options.pollIntervalMs, state.failures, MAX_BACKOFF_MS));
    }
    state.failures = 0;
    await apply(record, snapshot);
  }

  async function apply(record: GenerationRecord, snapshot: TaskSnapshot) {
    if (!snapshot.recognisedStatus) {
      log.warn({ generationId: record.id, providerStatus: snapshot.providerStatus }, "unknown provider status; still waiting");
    }
    if (snapshot.state === "failed") {
      await repository.update(record.id, { costUsd: snapshot.costUsd ?? record.costUsd });
      return fail(record, snapshot.error?.code ?? "provider_error", snapshot.error?.message ?? "The provider could not generate the video.");
    }
    if (snapshot.state === "succeeded" && snapshot.videoUrl) {
      const updated = await repository.update(record.id, {
        status: "processing",
        progress: 1,
        costUsd: snapshot.costUsd ?? record.costUsd,
        resultUrl: snapshot.videoUrl,
      });
      return updated ? storeResult(updated, snapshot.videoUrl) : done(record.id);
    }
    if (snapshot.state !== record.status || snapshot.progress !== record.progress) {
      const updated = await repository.update(record.id, {
        status: snapshot.state,
        progress: snapshot.progress ?? record.progress,
      });
      if (!updated) return done(record.id);
    }
    schedule(record.id, options.pollIntervalMs);
  }

  async function storeResult(record: GenerationRecord, videoUrl: string) {
    const state = entry(record.id);
    const key = videoKeyFor(record.id);
    try {
      const download = await provider.openResult(videoUrl);
      const { bytes } = await media.putStream(key, download.body, {
        maxBytes: options.maxResultBytes,
        checkHead: mp4HeadProblem,
      });
      const stored = await repository.update(record.id, {
        status: "succeeded",
        resultKey: key,
        resultBytes: bytes,
        progress: 1,
        completedAt: new Date(now()).toISOString(),
      });
      // Deleted while downloading: do not leave an orphaned file behind.
      if (!stored) await media.delete(key);
      log.info({ generationId: record.id, bytes }, "result stored");
      done(record.id);
    } catch (error) {
      state.failures++;
      if (error instanceof MediaWriteError && error.reason === "rejected") {
        return fail(record, "result_invalid", "The provider's result is not a playable MP4 video.");
      }
      if (error instanceof MediaWriteError && error.reason === "too_large") {
        return fail(record, "result_too_large", "The provider's video is larger than this server accepts.");
      }
      const kind = error instanceof UpstreamError ? error.kind : "unknown";
      log.warn({ generationId: record.id, kind, failures: state.failures }, "result download failed; will retry");
      // The next step re-reads the task, which may carry a fresh link.
      schedule(record.id, backoffDelay(options.pollIntervalMs, state.failures, MAX_BACKOFF_MS));
    }
  }

  return {
    async start() {
      stopped = false;
      await keepClaims();
      if (followed.size > 0) log.info({ count: followed.size }, "resuming unfinished generations");
      // The next round starts when the last has finished, so a slow store never stacks them up.
      const beat = () => {
        heartbeat = setTimeout(() => {
          keepClaims()
            .catch((error: unknown) => log.error({ err: error }, "renewing generation claims failed"))
            .finally(() => {
              if (!stopped) beat();
            });
        }, Math.max(1, Math.floor(options.leaseMs / 3)));
        heartbeat.unref?.();
      };
      beat();
    },
    kick(id) {
      if (stopped) return;
      const state = followed.get(id);
      if (!state) {
        adopt(id).catch((error: unknown) => log.error({ err: error, generationId: id }, "claiming a generation failed"));
        return;
      }
      if (state.timer) clearTimeout(state.timer);
      state.timer = null;
      run(id);
    },
    forget: done,
    stop() {
      stopped = true;
      if (heartbeat) clearTimeout(heartbeat);
      heartbeat = null;
      for (const id of [...followed.keys()]) done(id);
    },
  };
}
