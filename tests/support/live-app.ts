import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { startFakeUpstream, type FakeUpstream, type FakeUpstreamOptions } from "../fake-upstream/fake-upstream";
import { startApp, type AppServer } from "./app-server";

type StartOptions = NonNullable<Parameters<typeof startApp>[0]>;

export interface LiveAppOptions {
  /** The key the fake provider accepts; every app started here is given it. */
  apiKey: string;
  timeline?: FakeUpstreamOptions["timeline"];
  /** Environment every app of the file gets besides the provider's address and key (e.g. POLL_INTERVAL_MS). */
  env?: Record<string, string>;
  /** The file's own app, started once before its tests with `env` (plus these variables); leave out when tests start their own. */
  app?: StartOptions;
  /** What of the fake provider each test leaves behind: its faults, or everything (tasks and counters too). */
  resetAfterEach?: "faults" | "all";
}

export interface LiveApp {
  /** The fake provider, from the file's first beforeAll on. */
  readonly upstream: FakeUpstream;
  /** The file's own app (with `app` in the options). */
  readonly app: AppServer;
  /** The environment of a live app: the provider's address and key, the file's `env`, then `extra`. */
  env(extra?: Record<string, string>): Record<string, string>;
  /** Another app (watched by the log sink): one started during a test stops after it, one started before the tests after the file. */
  startApp(options?: StartOptions): Promise<AppServer>;
}

/**
 * The set-up of a test file that drives the built app against the fake provider: registers
 * the hooks that start the fake provider (and the file's own app), stop every app started
 * through it and close the provider, and returns handles to them.
 */
export function setUpLiveApp(options: LiveAppOptions): LiveApp {
  let upstream: FakeUpstream | undefined;
  let app: AppServer | undefined;
  let inTest = false;
  const forTest: AppServer[] = [];
  const forFile: AppServer[] = [];

  const env = (extra: Record<string, string> = {}) => {
    if (!upstream) throw new Error("setUpLiveApp: the fake provider starts in beforeAll");
    return { VTRIX_API_KEY: options.apiKey, VTRIX_BASE_URL: upstream.url, ALLOW_INSECURE_RESULT_URLS: "1", ...options.env, ...extra };
  };
  const start = async (startOptions: StartOptions = {}) => {
    const started = await startApp(startOptions);
    (inTest ? forTest : forFile).push(started);
    return started;
  };

  beforeAll(async () => {
    upstream = await startFakeUpstream({ apiKey: options.apiKey, timeline: options.timeline });
    if (options.app) app = await start({ ...options.app, env: env(options.app.env) });
  });
  beforeEach(() => {
    inTest = true;
  });
  afterEach(async () => {
    inTest = false;
    await Promise.all(forTest.splice(0).map((server) => server.stop()));
    if (options.resetAfterEach === "all") upstream?.reset();
    else if (options.resetAfterEach === "faults") upstream?.resetFaults();
  });
  afterAll(async () => {
    await Promise.all(forFile.splice(0).map((server) => server.stop()));
    await upstream?.close();
  });

  return {
    get upstream() {
      if (!upstream) throw new Error("setUpLiveApp: the fake provider starts in beforeAll");
      return upstream;
    },
    get app() {
      if (!app) throw new Error("setUpLiveApp: no app of the file's own (pass `app` in the options)");
      return app;
    },
    env,
    startApp: start,
  };
}
