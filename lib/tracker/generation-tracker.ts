import type { Logger } from "pino";
import type { GenerationRecord, GenerationRepository } from "@/lib/generations/generation-record";
import { mp4HeadProblem } from "@/lib/media/is-mp4";
import { videoKeyFor, type MediaStore } from "@/lib/media/media-store";
import { errorCodeOf } from "@/lib/media/storage-full";
import { UpstreamError, type GenerationProvider, type TaskSnapshot } from "@/lib/upstream/provider";
import { backoffDelay } from "./backoff";
import { submitTask } from "./submit-task";
import { confirmCreate } from "./unconfirmed-create";
import { TRACKER_MESSAGES } from "./failure-messages";
import { classifyResultFailure } from "./result-failure";
import { createQueueWaker } from "@/lib/queue/queue-waker";
import type { QueueHooks } from "@/lib/queue/queue-hooks";

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
  /** Downloads of a finished result that fail for a passing reason: how often, and how far apart at most. */
  resultRetry?: { maxAttempts?: number; maxDelayMs?: number };
  /** Queue: creates beyond `maxInFlight` wait their turn; without it every create is sent at once. */
  queue?: QueueHooks;
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
  /** Poll failures in a row. */
  failures: number;
  /** Failed downloads of the result, not reset by polls that work. */
  resultFailures: number;
  /** Attempts to store the result while our storage was full. */
  storageWaits: number;
  /** The result link expired: the next step re-reads the task for a fresh one. */
  wantFreshLink: boolean;
  /** A fresh link was already fetched once; a second expiry is final. */
  linkRefreshed: boolean;
  /** The result's size as its link declared it, so a full disk is noticed without opening the link again. */
  resultBytes: number;
}

const MAX_BACKOFF_MS = 60_000;
const RESULT_MAX_ATTEMPTS = 8;
const RESULT_MAX_DELAY_MS = 5 * 60_000;
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
  // Queue: when a generation stops being followed a slot may be free; start the oldest waiting ones.
  const queueWaker = options.queue && createQueueWaker({
    oldestWaiting: options.queue.oldestWaiting,
    kick: (id) => tracker.kick(id),
    onError: (error) => log.error({ err: error }, "starting queued generations failed"),
  });

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
      state = { timer: null, running: null, rerun: false, failures: 0, resultFailures: 0, storageWaits: 0, wantFreshLink: false, linkRefreshed: false, resultBytes: 0 };
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
    if (!stopped) queueWaker?.wake();
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

    // Queue: the deadline counts from when the create left the queue; waiting sends nothing.
    const age = now() - Date.parse(record.startedAt ?? record.createdAt);
    const waitingTurn = options.queue !== undefined && record.submitState === "pending" && !record.startedAt;
    const deadline = options.deadlineMs + (record.resultUrl ? RESULT_GRACE_MS : 0);
    if (!waitingTurn && age > deadline) return deadlineReached(record);

    if (record.submitState === "pending") return submit(record);
    // A finished task's result is fetched again from the link we have; the task is re-read only for a fresh link.
    if (record.resultUrl && !entry(id).wantFreshLink) return storeResult(record, record.resultUrl);
    return poll(record);
  }

  /** Before failing at the deadline, one last look at the task: polls may have failed while it finished. */
  async function deadlineReached(record: GenerationRecord) {
    const state = entry(record.id);
    if (!record.resultUrl && record.submitState === "submitted" && record.upstreamTaskId) {
      const snapshot = await provider.getTask(record.upstreamTaskId).catch((error: unknown) => {
        const kind = error instanceof UpstreamError ? error.kind : (errorCodeOf(error) ?? "unknown");
        log.warn({ generationId: record.id, kind }, "last poll before the deadline failed");
        return null;
      });
      if (snapshot && (snapshot.state === "failed" || (snapshot.state === "succeeded" && snapshot.videoUrl))) {
        return apply(record, snapshot);
      }
    }
    const message = !record.resultUrl
      ? TRACKER_MESSAGES.deadline_exceeded(options.deadlineMs)
      : state.storageWaits > 0
        ? TRACKER_MESSAGES.result_not_saved_storage_full
        : TRACKER_MESSAGES.result_not_saved;
    return fail(record, "deadline_exceeded", message);
  }

  async function submit(record: GenerationRecord) {
    const state = entry(record.id);
    const callbackUrl = options.callbackUrlFor?.(record);
    // Queue: not its turn or no free slot; a finishing generation wakes it (the timer is a safety net).
    if (options.queue && !(await options.queue.mayStart(record.id))) return schedule(record.id, options.queue.recheckMs);
    const outcome = await submitTask(record, { repository, media, provider, instanceId, callbackUrl, maxInFlight: options.queue?.maxInFlight });
    if (outcome.kind === "waiting") return schedule(record.id, options.queue?.recheckMs ?? options.pollIntervalMs);
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
      const kind = error instanceof UpstreamError ? error.kind : (errorCodeOf(error) ?? "unknown");
      log.warn({ err: error instanceof UpstreamError ? undefined : error, generationId: record.id, kind, failures: state.failures }, "poll failed; backing off");
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
      entry(record.id).wantFreshLink = false;
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
      // A full disk would only be found after downloading the whole file: look first.
      if (!(await media.hasRoom(state.resultBytes))) return await waitForSpace(record, null);
      const download = await provider.openResult(videoUrl);
      state.resultBytes = download.contentLength ?? state.resultBytes;
      if (download.contentLength !== null && !(await media.hasRoom(download.contentLength))) {
        await download.body.cancel().catch(() => undefined);
        return await waitForSpace(record, null);
      }
      const { bytes } = await media.putStream(key, download.body, {
        maxBytes: options.maxResultBytes,
        checkHead: mp4HeadProblem,
      });
      const stored = await repository.update(record.id, {
        status: "succeeded",
        resultKey: key,
        resultBytes: bytes,
        progress: 1,
        errorCode: null,
        errorMessage: null,
        completedAt: new Date(now()).toISOString(),
      });
      // Deleted while downloading: do not leave an orphaned file behind.
      if (!stored) await media.delete(key);
      log.info({ generationId: record.id, bytes }, "result stored");
      done(record.id);
    } catch (error) {
      const failure = classifyResultFailure(error);
      const kind = error instanceof UpstreamError ? error.kind : (errorCodeOf(error) ?? "unknown");
      if (failure.action === "fail") {
        log.warn({ generationId: record.id, kind, code: failure.code }, "result refused");
        return fail(record, failure.code, failure.message);
      }
      if (failure.action === "wait_for_space") return waitForSpace(record, error);
      if (failure.action === "refresh_link") {
        if (state.linkRefreshed) {
          log.warn({ generationId: record.id, kind }, "fresh result link expired too");
          return fail(record, "result_expired", TRACKER_MESSAGES.result_expired);
        }
        log.info({ generationId: record.id }, "result link expired; re-reading the task for a fresh one");
        state.linkRefreshed = true;
        state.wantFreshLink = true;
        return schedule(record.id, 0);
      }
      state.resultFailures++;
      const maxAttempts = options.resultRetry?.maxAttempts ?? RESULT_MAX_ATTEMPTS;
      if (state.resultFailures >= maxAttempts) {
        log.warn({ generationId: record.id, kind, attempts: state.resultFailures }, "result download failed; giving up");
        return fail(record, "result_download_failed", TRACKER_MESSAGES.result_download_failed(state.resultFailures));
      }
      log.warn({ err: error, generationId: record.id, kind, failures: state.resultFailures }, "result download failed; will retry");
      await notice(record, "result_download_retrying");
      schedule(record.id, backoffDelay(options.pollIntervalMs, state.resultFailures, options.resultRetry?.maxDelayMs ?? RESULT_MAX_DELAY_MS));
    }
  }

  /** Our storage is full: say so on the generation, back off, and try again until space returns. */
  async function waitForSpace(record: GenerationRecord, error: unknown) {
    const state = entry(record.id);
    state.storageWaits++;
    log.error(
      { err: error ?? undefined, code: error ? errorCodeOf(error) : "below_free_space_floor", generationId: record.id, waits: state.storageWaits },
      "media storage is full; the result will be saved once space returns",
    );
    await notice(record, "storage_full");
    schedule(record.id, backoffDelay(options.pollIntervalMs, state.storageWaits, MAX_BACKOFF_MS));
  }

  /** A notice on an unfinished generation: why it is waiting (cleared once it succeeds). */
  async function notice(record: GenerationRecord, code: "storage_full" | "result_download_retrying") {
    if (record.errorCode === code) return;
    await repository.update(record.id, { errorCode: code, errorMessage: TRACKER_MESSAGES[code] }).catch((error: unknown) =>
      log.warn({ err: error, generationId: record.id }, "could not record the notice"),
    );
  }

  const tracker: GenerationTracker = {
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
  return tracker;
}
