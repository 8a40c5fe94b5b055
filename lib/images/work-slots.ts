import { ApiError } from "@/lib/errors";

/** Runs at most `concurrency` jobs at once; a few more may wait, beyond that callers are refused. */
export interface WorkSlots {
  run<T>(work: () => Promise<T>): Promise<T>;
  /** Jobs running and waiting now. */
  load(): { running: number; waiting: number };
}

/** How long a refused caller is told to wait: about one job's time. */
const BUSY_RETRY_AFTER_SECONDS = 5;

export function createWorkSlots(options: { concurrency: number; maxWaiting: number; busyMessage: string }): WorkSlots {
  let running = 0;
  const waiting: Array<() => void> = [];

  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else running--;
  };
  const acquire = (): Promise<void> => {
    if (running < options.concurrency) {
      running++;
      return Promise.resolve();
    }
    if (waiting.length >= options.maxWaiting) {
      throw new ApiError("rate_limited", options.busyMessage, undefined, { retryAfterSeconds: BUSY_RETRY_AFTER_SECONDS });
    }
    // The slot passes straight from the job that ends to the first waiter: `running` stays as it is.
    return new Promise((resolve) => waiting.push(resolve));
  };

  return {
    async run(work) {
      await acquire();
      try {
        return await work();
      } finally {
        release();
      }
    },
    load: () => ({ running, waiting: waiting.length }),
  };
}
