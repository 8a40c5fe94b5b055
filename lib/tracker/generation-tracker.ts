import "server-only";
import type { Logger } from "pino";
import type { GenerationRecord } from "@/lib/generations/generation-record";
import type { GenerationRepository, GenerationTransition } from "@/lib/generations/generation-repository";
import type { MediaStore } from "@/lib/media/media-store";
import type { GenerationProvider } from "@/lib/upstream/provider";
import type { QueueHooks } from "@/lib/queue/queue-hooks";
import type { BudgetCaps } from "@/lib/generations/budget-windows";
import { createQueueWaker } from "@/lib/queue/queue-waker";
import { createClaims } from "./claims";
import { createActionRunner } from "./action-runner";
import { createResultStore } from "./result-store";
import { createScheduler } from "./scheduler";
import { afterStepError, decide, freshMemory, type Action, type Context, type Input, type Memory } from "./decide";

export interface TrackerOptions {
  repository: GenerationRepository;
  media: MediaStore;
  /** `releaseTask`, when a provider has it, is told once the app is done with a task (result stored, or failed). */
  provider: GenerationProvider & { releaseTask?(taskId: string): Promise<void> };
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
  /** Budgets the submit gate re-checks when a waiting generation's turn comes (lib/generations/budget-windows.ts). */
  budget?: BudgetCaps;
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
  memory: Memory;
  /** The result's size as its link declared it, so a full disk is noticed without opening the link again. */
  declared: { bytes: number };
}

const RESULT_MAX_ATTEMPTS = 8;
const RESULT_MAX_DELAY_MS = 5 * 60_000;

/**
 * Follows every in-flight generation from the server: claims (claims.ts) say which
 * instance follows it, the scheduler (scheduler.ts) runs one step per generation at a
 * time, and each step feeds what happened to the state machine (transitions.ts), writes
 * the transition it returns and runs the effect it asks for (submit, poll, store the result).
 */
export function createGenerationTracker(options: TrackerOptions): GenerationTracker {
  const { repository, provider, log, instanceId } = options;
  const now = options.now ?? Date.now;
  const results = createResultStore({ media: options.media, provider, maxResultBytes: options.maxResultBytes });
  const actions = createActionRunner({
    repository,
    media: options.media,
    provider,
    instanceId,
    callbackUrlFor: options.callbackUrlFor,
    results,
    queue: options.queue,
    budget: options.budget,
    now: () => new Date(now()),
  });
  let stopped = false;

  const contextFor = (record: GenerationRecord): Context => ({
    now: now(),
    pollIntervalMs: options.pollIntervalMs,
    deadlineMs: options.deadlineMs,
    callbacks: options.callbackUrlFor?.(record) !== undefined,
    resultRetry: {
      maxAttempts: options.resultRetry?.maxAttempts ?? RESULT_MAX_ATTEMPTS,
      maxDelayMs: options.resultRetry?.maxDelayMs ?? RESULT_MAX_DELAY_MS,
    },
    random: Math.random,
    queue: options.queue && { recheckMs: options.queue.recheckMs },
  });

  const scheduler = createScheduler<Followed>({
    fresh: () => ({ memory: freshMemory(), declared: { bytes: 0 } }),
    step,
    onError(id, followed, error) {
      log.error({ err: error, generationId: id }, "tracker step failed");
      const retry = afterStepError(followed.memory, { pollIntervalMs: options.pollIntervalMs, random: Math.random });
      followed.memory = retry.memory;
      scheduler.runAfter(id, retry.delayMs);
    },
  });

  // Queue: when a generation stops being followed a slot may be free; start the oldest waiting ones.
  const queueWaker =
    options.queue &&
    createQueueWaker({
      oldestWaiting: options.queue.oldestWaiting,
      // A waiting generation may be followed by another instance: the nudge reaches it there.
      kick: (id) => (options.queue?.nudge ?? tracker.kick)(id),
      onError: (error) => log.error({ err: error }, "starting queued generations failed"),
    });
  function drop(id: string) {
    scheduler.drop(id);
    if (!stopped) queueWaker?.wake();
  }

  const claims = createClaims({
    repository,
    instanceId,
    leaseMs: options.leaseMs,
    now,
    log,
    follows: scheduler.follows,
    isRunning: scheduler.isRunning,
    followed: scheduler.ids,
    follow: scheduler.run,
    letGo: drop,
  });

  /** One step: decide, write, act, until the state machine waits or finishes. */
  async function step(id: string, followed: Followed): Promise<void> {
    let record = await repository.findById(id);
    if (!record) return drop(id);
    let input: Input = { kind: "wake" };
    /** Details of the last effect (the error behind it) for the next log line. */
    let details: Record<string, unknown> = {};
    for (;;) {
      const decision = decide(record, followed.memory, input, contextFor(record));
      followed.memory = decision.memory;
      if (decision.note) log[decision.note.level]({ generationId: id, ...decision.note.details, ...details }, decision.note.message);
      if (decision.change) {
        const changed = await write(record, decision.change);
        if (!changed) return drop(id);
        record = changed;
      }
      const next: Action = decision.next;
      if (next.kind === "finish") return drop(id);
      if (next.kind === "wait") return scheduler.runAfter(id, next.delayMs);
      if (next.kind === "continue") input = next.input;
      else {
        ({ record, input, details = {} } = await actions.run(record, next, followed.declared));
        // Its create has left, so the next in line may go now if a slot is still free.
        if (input.kind === "submit_created") queueWaker?.wake();
      }
    }
  }

  /** Writes one transition; undefined when the repository refused it (deleted, or no longer allowed). */
  async function write(record: GenerationRecord, change: GenerationTransition): Promise<GenerationRecord | undefined> {
    if (change.kind === "notice") {
      // A notice only explains a wait: failing to write it must not stop the wait.
      return repository.update(record.id, change).catch((error: unknown) => {
        log.warn({ err: error, generationId: record.id }, "could not record the notice");
        return record;
      });
    }
    const changed = await repository.update(record.id, change);
    if (change.kind === "stored" && !changed) {
      // Deleted while downloading: do not leave an orphaned file behind.
      await results.discard(change.resultKey);
    }
    if (change.kind === "failed" && changed) log.info({ generationId: record.id, code: change.code }, "generation failed");
    if ((change.kind === "stored" || (change.kind === "failed" && changed)) && record.upstreamTaskId) release(record.upstreamTaskId);
    return changed;
  }

  function release(taskId: string) {
    provider.releaseTask?.(taskId).catch((error: unknown) => log.warn({ err: error, taskId }, "could not release the provider's task"));
  }

  const tracker: GenerationTracker = {
    async start() {
      stopped = false;
      scheduler.resume();
      await claims.start();
      if (scheduler.size() > 0) log.info({ count: scheduler.size() }, "resuming unfinished generations");
    },
    kick(id) {
      if (stopped) return;
      if (!scheduler.follows(id)) {
        claims.adopt(id).catch((error: unknown) => log.error({ err: error, generationId: id }, "claiming a generation failed"));
        return;
      }
      scheduler.kick(id);
    },
    forget: drop,
    stop() {
      stopped = true;
      claims.stop();
      scheduler.stop();
    },
  };
  return tracker;
}
