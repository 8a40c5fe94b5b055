import "server-only";
/** Background work that runs on an interval for as long as the server does. */
export interface PeriodicTask {
  start(): void;
  stop(): void;
}

/**
 * Runs `sweep` at start and then every `intervalMs`, never two runs at once. Safe with
 * several instances: each deletion is one conditional statement that only one can win.
 */
export function createUploadSweeper(options: {
  sweep: () => Promise<number>;
  intervalMs: number;
  log: { info(details: object, message: string): void; warn(details: object, message: string): void };
}): PeriodicTask {
  let timer: NodeJS.Timeout | undefined;
  let running = false;

  async function run() {
    if (running) return;
    running = true;
    try {
      const swept = await options.sweep();
      if (swept > 0) options.log.info({ swept }, "deleted uploads no generation used");
    } catch (error) {
      options.log.warn({ err: error }, "upload sweep failed; will try again");
    } finally {
      running = false;
    }
  }

  return {
    start() {
      if (timer) return;
      void run();
      timer = setInterval(() => void run(), options.intervalMs);
      // The sweep alone must not keep the process alive.
      timer.unref();
    },
    stop() {
      clearInterval(timer);
      timer = undefined;
    },
  };
}

/** Often enough that an upload outlives its time by at most a quarter of it, at most every 15 minutes. */
export const sweepIntervalFor = (ttlMs: number) => Math.min(15 * 60_000, Math.max(1_000, Math.round(ttlMs / 4)));
