import { defineConfig } from "@playwright/test";

// E2E_PORT_BASE moves all three ports, so two checkouts can run the browser tests at once.
const PORT_BASE = Number(process.env.E2E_PORT_BASE ?? 3100);
const FAKE_UPSTREAM_PORT = PORT_BASE + 910;
const LIVE_PORT = PORT_BASE + 1;
const DEMO_PORT = PORT_BASE + 2;
const PASSWORD_PORT = PORT_BASE + 3;
/** Live, with one provider task at a time: what the queue looks like in the browser. */
const QUEUE_PORT = PORT_BASE + 4;
export const QUEUE_BASE_URL = `http://127.0.0.1:${QUEUE_PORT}`;
export const E2E_PASSWORD = "e2e correct horse battery";
export const FAKE_UPSTREAM_URL = `http://127.0.0.1:${FAKE_UPSTREAM_PORT}`;

/**
 * Each app server's output, kept for the log sink: tests/e2e/fixtures.ts fails a test
 * that leaves an error-level line here.
 */
export const SERVER_LOGS = {
  live: "test-results/logs/live.log",
  demo: "test-results/logs/demo.log",
  password: "test-results/logs/password.log",
  queue: "test-results/logs/queue.log",
} as const;

const chromiumFromDebian = {
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
};

// Browser tests must not trip the abuse limits; those have their own integration tests.
const generousLimits = "CREATE_LIMIT_PER_CLIENT_PER_MINUTE=1000 CREATE_LIMIT_GLOBAL_PER_MINUTE=1000 MAX_IN_FLIGHT=100";
const nextStart = (port: number, env: string, dataDir: string, logFile: string) =>
  `rm -rf ${dataDir} && mkdir -p test-results/logs && env NEXT_TELEMETRY_DISABLED=1 DATA_DIR=${dataDir} PORT=${port} HOST=127.0.0.1 ${generousLimits} ${env} ` +
  `node scripts/server.mjs 2>&1 | tee ${logFile}`;

export default defineConfig({
  testDir: "tests/e2e",
  outputDir: "test-results/e2e",
  // One browser at a time: the machine has two cores and two app servers to feed.
  workers: 1,
  fullyParallel: false,
  retries: process.env.CI ? 1 : 0,
  timeout: 90_000,
  expect: { timeout: 20_000 },
  reporter: [["list"]],
  use: {
    launchOptions: chromiumFromDebian,
    trace: "retain-on-failure",
    acceptDownloads: true,
  },
  projects: [
    { name: "live", testMatch: /.*\.live\.spec\.ts/, use: { baseURL: `http://127.0.0.1:${LIVE_PORT}` } },
    // Paid clicks made as impatient or unlucky people make them: repeated in CI, since a race that
    // slips through once in five runs still charges someone twice.
    {
      name: "intent",
      testMatch: /.*\.intent\.spec\.ts/,
      repeatEach: process.env.CI ? 5 : 1,
      use: { baseURL: `http://127.0.0.1:${LIVE_PORT}` },
    },
    { name: "demo", testMatch: /.*\.demo\.spec\.ts/, use: { baseURL: `http://127.0.0.1:${DEMO_PORT}` } },
    { name: "password", testMatch: /.*\.password\.spec\.ts/, use: { baseURL: `http://127.0.0.1:${PASSWORD_PORT}` } },
    // Live without APP_PASSWORD on every interface: the studio's notice about an open server.
    { name: "queue", testMatch: /.*\.queue\.spec\.ts/, use: { baseURL: QUEUE_BASE_URL } },
  ],
  webServer: [
    {
      command: `env FAKE_UPSTREAM_PORT=${FAKE_UPSTREAM_PORT} FAKE_UPSTREAM_API_KEY=e2e-secret-key FAKE_UPSTREAM_PENDING_MS=1000 FAKE_UPSTREAM_PROCESSING_MS=4000 npx tsx tests/fake-upstream/main.ts`,
      url: `${FAKE_UPSTREAM_URL}/__control/stats`,
      reuseExistingServer: false,
      timeout: 60_000,
    },
    {
      command: nextStart(
        LIVE_PORT,
        `VTRIX_API_KEY=e2e-secret-key VTRIX_BASE_URL=${FAKE_UPSTREAM_URL} ALLOW_INSECURE_RESULT_URLS=1 POLL_INTERVAL_MS=500 PUBLIC_BASE_URL=http://127.0.0.1:${LIVE_PORT}`,
        "test-results/e2e-data-live",
        SERVER_LOGS.live,
      ),
      url: `http://127.0.0.1:${LIVE_PORT}/api/health`,
      reuseExistingServer: false,
      timeout: 60_000,
    },
    {
      command: nextStart(
        QUEUE_PORT,
        // Every interface (HOST after nextStart's own), so the studio warns about an open server; reached on loopback.
        `VTRIX_API_KEY=e2e-secret-key VTRIX_BASE_URL=${FAKE_UPSTREAM_URL} ALLOW_INSECURE_RESULT_URLS=1 POLL_INTERVAL_MS=500 MAX_IN_FLIGHT=1 HOST=0.0.0.0`,
        "test-results/e2e-data-queue",
        SERVER_LOGS.queue,
      ),
      url: `${QUEUE_BASE_URL}/api/health`,
      reuseExistingServer: false,
      timeout: 60_000,
    },
    {
      command: nextStart(DEMO_PORT, "DEMO_DURATION_MS=4000", "test-results/e2e-data-demo", SERVER_LOGS.demo),
      url: `http://127.0.0.1:${DEMO_PORT}/api/health`,
      reuseExistingServer: false,
      timeout: 60_000,
    },
    {
      command: nextStart(PASSWORD_PORT, `DEMO_DURATION_MS=4000 APP_PASSWORD='${E2E_PASSWORD}'`, "test-results/e2e-data-password", SERVER_LOGS.password),
      url: `http://127.0.0.1:${PASSWORD_PORT}/api/health`,
      reuseExistingServer: false,
      timeout: 60_000,
    },
  ],
});
