import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeUpstream } from "../fake-upstream/fake-upstream";
import { createGeneration, getGeneration, waitFor, waitForFinal } from "../support/api";
import { newDataDir, type AppServer } from "../support/app-server";
import { setUpLiveApp } from "../support/live-app";
import { makePortrait, toDataUrl } from "../support/portraits";
import { startPostgres, type PostgresServer } from "../support/postgres-server";
import { startS3Server, type S3Server } from "../support/s3-server";

const API_KEY = "vtx-scale-out-secret-7a3f";
const POLL_INTERVAL_MS = 150;
const LEASE_MS = 1500;
// Long enough that the task is still processing once a second instance has started on a loaded machine (up to ~8 s).
const live = setUpLiveApp({ apiKey: API_KEY, timeline: { pendingMs: 200, processingMs: 12_000 } });
let postgres: PostgresServer;
let s3: S3Server;
let upstream: FakeUpstream;
let image: string;

/** One app instance for this test: its own DATA_DIR (so its own name), the shared database and bucket. */
async function instance(): Promise<AppServer> {
  return live.startApp({
    dataDir: newDataDir(),
    env: live.env({
      POLL_INTERVAL_MS: String(POLL_INTERVAL_MS),
      TRACKER_LEASE_MS: String(LEASE_MS),
      DATABASE_URL: postgres.url,
      S3_BUCKET: s3.bucket,
      S3_ENDPOINT: s3.endpoint,
      S3_ACCESS_KEY_ID: s3.accessKeyId,
      S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
    }),
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  [postgres, s3] = await Promise.all([startPostgres(), startS3Server()]);
  ({ upstream } = live);
  image = toDataUrl(await makePortrait());
});

afterAll(async () => {
  await Promise.all([postgres?.stop(), s3?.stop()]);
});

describe("several app instances on one Postgres database and one bucket", () => {
  it("follow each generation from one instance, and either serves it", async () => {
    const [first, second] = await Promise.all([instance(), instance()]);
    const creates = upstream.stats().creates.accepted;
    const created = await createGeneration(first.url, { image, prompt: "two instances" });
    const taskId = await waitFor(async () => upstream.stats().creates.requests.find((request) => request.params.prompt === "two instances")?.taskId);

    // Both are up for several poll intervals: only the instance that claimed it polls.
    const pollsBefore = upstream.stats().polls.byTask[taskId] ?? 0;
    await sleep(1500);
    const polls = (upstream.stats().polls.byTask[taskId] ?? 0) - pollsBefore;
    expect(polls).toBeGreaterThan(3);
    expect(polls).toBeLessThanOrEqual(1500 / POLL_INTERVAL_MS + 2);
    expect((await getGeneration(second.url, created.id)).status).toBe("processing");

    const finished = await waitForFinal(second.url, created.id);
    expect(finished.status).toBe("succeeded");
    expect(upstream.stats().creates.accepted - creates).toBe(1);
    for (const app of [first, second]) {
      const video = await fetch(`${app.url}${finished.videoUrl}`, { headers: { Range: "bytes=0-15" } });
      expect(video.status).toBe(206);
      expect(
        Buffer.from(await video.arrayBuffer())
          .subarray(4, 8)
          .toString("latin1"),
      ).toBe("ftyp");
    }
    await Promise.all([first.stop(), second.stop()]);
  });

  it("finish a generation whose instance died, once its claim runs out, without a second paid task", async () => {
    const doomed = await instance();
    const creates = upstream.stats().creates.accepted;
    const created = await createGeneration(doomed.url, { image, prompt: "instance dies" });
    const taskId = await waitFor(async () => upstream.stats().creates.requests.find((request) => request.params.prompt === "instance dies")?.taskId);
    // The survivor starts while the first instance holds the generation, then that one dies.
    const survivor = await instance();
    await waitFor(async () => (await getGeneration(survivor.url, created.id)).status === "processing");
    await doomed.stop();
    const diedAt = Date.now();
    // A request the dead instance sent just before it died may still be arriving.
    await sleep(100);
    const pollsAtDeath = upstream.stats().polls.byTask[taskId] ?? 0;

    // Polling resumes from the survivor once the dead instance's last claim has run out
    // (it renewed every third of the lease, so that is most of a lease away), and not long after.
    await waitFor(async () => (upstream.stats().polls.byTask[taskId] ?? 0) > pollsAtDeath, 10_000);
    const silence = Date.now() - diedAt;
    expect(silence).toBeGreaterThanOrEqual(LEASE_MS / 3);
    expect(silence).toBeLessThan(LEASE_MS + LEASE_MS / 3 + 1000);

    const finished = await waitForFinal(survivor.url, created.id, 20_000);
    expect(finished.status).toBe("succeeded");
    expect(upstream.stats().creates.accepted - creates).toBe(1);
    const video = await fetch(`${survivor.url}${finished.videoUrl}`);
    expect(
      Buffer.from(await video.arrayBuffer())
        .subarray(4, 8)
        .toString("latin1"),
    ).toBe("ftyp");
  });
});
