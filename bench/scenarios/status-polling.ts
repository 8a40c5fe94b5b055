import autocannon from "autocannon";
import type { Figure } from "../report";
import { pacedLoad, type PacedLoadResult } from "../paced-load";
import { createGeneration } from "../support/api";
import { startApp } from "../support/app-server";
import { startFakeProvider } from "../support/fake-provider";
import { drawPortrait, toDataUrl } from "../support/photos";

const CLIENTS = 200;
/** The studio polls a generation's status every 2 s. */
const CLIENT_PERIOD_MS = 2000;
const STUDIO_RATE = (CLIENTS * 1000) / CLIENT_PERIOD_MS;
const POLL_INTERVAL_MS = 1000;
const TASKS = 5;
const WINDOW_MS = 10_000;
const LADDER_RATES = [200, 400, 800, 1600];
const LADDER_STEP_MS = 5_000;
const P99_TARGET_MS = 25;

const periodFor = (rate: number) => (CLIENTS * 1000) / rate;

/**
 * P2: upstream GETs per task per poll interval while 200 clients poll our status route.
 * P3: status route latency with 200 connections polling as the studio does, against
 * GET /api/health under the same load; then how much more load it takes before p99
 * passes the target, and the saturation throughput of a closed loop.
 */
export async function measureStatusPolling(): Promise<Figure[]> {
  const apiKey = "bench-key";
  // Tasks that stay in flight for the whole window.
  const upstream = await startFakeProvider({ apiKey, timeline: { pendingMs: 1000, processingMs: 300_000 } });
  const app = await startApp({
    env: {
      VTRIX_API_KEY: apiKey,
      VTRIX_BASE_URL: upstream.url,
      ALLOW_INSECURE_RESULT_URLS: "1",
      POLL_INTERVAL_MS: String(POLL_INTERVAL_MS),
      LOG_LEVEL: "warn",
    },
  });
  try {
    const image = toDataUrl(await drawPortrait());
    const ids: string[] = [];
    for (let i = 0; i < TASKS; i++) ids.push((await createGeneration(app.url, { image })).id);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const statusUrl = (client: number) => `${app.url}/api/generations/${ids[client % TASKS]}`;
    const healthUrl = () => `${app.url}/api/health`;

    const pollsBefore = (await upstream.stats()).polls.total;
    const windowStart = Date.now();
    const status = await pacedLoad(statusUrl, { clients: CLIENTS, periodMs: CLIENT_PERIOD_MS, durationMs: WINDOW_MS });
    const upstreamGets = (await upstream.stats()).polls.total - pollsBefore;
    const intervals = (Date.now() - windowStart) / POLL_INTERVAL_MS;
    // N requests spaced at least one interval apart fit in a window of W intervals when
    // N − 1 ≤ W: count the gaps, not the requests, so the window's edges do not count twice.
    const perTaskPerInterval = (upstreamGets - TASKS) / TASKS / intervals;
    const naivePerTaskPerInterval = status.requests / TASKS / intervals;

    const health = await pacedLoad(healthUrl, { clients: CLIENTS, periodMs: CLIENT_PERIOD_MS, durationMs: WINDOW_MS });

    // Headroom: the highest offered load at which p99 still meets the target.
    let sustainedRate = status.p99 <= P99_TARGET_MS && status.errors === 0 ? STUDIO_RATE : 0;
    let ladderNote = "";
    for (const rate of LADDER_RATES) {
      const step: PacedLoadResult = await pacedLoad(statusUrl, { clients: CLIENTS, periodMs: periodFor(rate), durationMs: LADDER_STEP_MS });
      ladderNote = ` (next step ${rate} req/s: p99 ${step.p99.toFixed(0)} ms)`;
      if (step.p99 > P99_TARGET_MS || step.errors > 0) break;
      sustainedRate = rate;
      ladderNote = "";
    }

    const closedLoop = (url: string) => autocannon({ url, connections: CLIENTS, duration: 10, pipelining: 1 });
    const healthSaturated = await closedLoop(healthUrl());
    const statusSaturated = await closedLoop(statusUrl(0));
    // autocannon counts time-outs among errors already.
    const saturatedErrors = statusSaturated.errors + statusSaturated.non2xx;

    const load = `${CLIENTS} connections polling every ${CLIENT_PERIOD_MS / 1000} s`;
    return [
      {
        id: "P2",
        what: `upstream GETs per task per poll interval (${CLIENTS} clients polling)`,
        value: perTaskPerInterval,
        unit: "",
        baseline: naivePerTaskPerInterval,
        baselineWhat: "one upstream GET per client poll",
        target: "≤ 1",
        met: perTaskPerInterval <= 1,
      },
      {
        id: "P3",
        what: `status route p50, ${load}`,
        value: status.p50,
        unit: "ms",
        baseline: health.p50,
        baselineWhat: "GET /api/health p50, same load",
        target: "—",
        met: true,
      },
      {
        id: "P3",
        what: `status route p99, ${load}`,
        value: status.p99,
        unit: "ms",
        baseline: health.p99,
        baselineWhat: "GET /api/health p99, same load",
        target: `≤ ${P99_TARGET_MS} ms`,
        met: status.p99 <= P99_TARGET_MS,
      },
      {
        id: "P3",
        what: `status route errors of ${status.requests} requests, ${load}`,
        value: status.errors,
        unit: "",
        baseline: health.errors,
        baselineWhat: "GET /api/health errors, same load",
        target: "0 errors",
        met: status.errors === 0,
      },
      {
        id: "P3",
        what: `status route: highest load with p99 ≤ ${P99_TARGET_MS} ms${ladderNote}`,
        value: sustainedRate,
        unit: "req/s",
        baseline: STUDIO_RATE,
        baselineWhat: `what ${CLIENTS} studio pages ask for`,
        target: "—",
        met: true,
      },
      {
        id: "P3",
        what: `status route saturated, ${CLIENTS} connections in a closed loop (p99 ${statusSaturated.latency.p99} ms, ${saturatedErrors} time-outs)`,
        value: statusSaturated.requests.average,
        unit: "req/s",
        baseline: healthSaturated.requests.average,
        baselineWhat: "GET /api/health, same loop",
        target: "—",
        met: true,
      },
    ];
  } finally {
    await app.stop();
    await upstream.close();
  }
}
