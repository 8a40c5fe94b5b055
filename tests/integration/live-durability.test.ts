import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import type { FakeUpstream } from "../fake-upstream/fake-upstream";
import { createGeneration, getGeneration, postGeneration, waitFor, waitForFinal } from "../support/api";
import { freePort, newDataDir } from "../support/app-server";
import { setUpLiveApp } from "../support/live-app";
import { makePortrait, toDataUrl } from "../support/portraits";

const API_KEY = "vtx-durability-secret-5d8e";
const live = setUpLiveApp({ apiKey: API_KEY, timeline: { pendingMs: 300, processingMs: 1500 }, env: { POLL_INTERVAL_MS: "150" }, resetAfterEach: "faults" });
let upstream: FakeUpstream;
let image: string;

const liveEnv = live.env;
/** An app for this test only (stopped after it). */
const start = live.startApp;

beforeAll(async () => {
  ({ upstream } = live);
  image = toDataUrl(await makePortrait());
});

describe("idempotent create", () => {
  it("the same Idempotency-Key returns the same generation and starts one task", async () => {
    const app = await start({ env: liveEnv() });
    const before = upstream.stats().creates.accepted;
    const key = "studio-7c9e6679-7425-40de-944b";
    const answers = await Promise.all(Array.from({ length: 5 }, () => postGeneration(app.url, { image, prompt: "nod" }, { "Idempotency-Key": key })));
    const bodies = await Promise.all(answers.map((answer) => answer.json() as Promise<{ id: string }>));
    expect(new Set(bodies.map((body) => body.id)).size).toBe(1);
    expect(answers.filter((answer) => answer.status === 201)).toHaveLength(1);
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(4);
    await waitForFinal(app.url, bodies[0]?.id ?? "");
    const replay = await postGeneration(app.url, { image, prompt: "nod" }, { "Idempotency-Key": key });
    expect(replay.status).toBe(200);
    expect(upstream.stats().creates.accepted - before).toBe(1);
  });

  it("different keys make different generations", async () => {
    const app = await start({ env: liveEnv() });
    const a = await createGeneration(app.url, { image, idempotencyKey: "key-aaaaaaaa" });
    const b = await createGeneration(app.url, { image, idempotencyKey: "key-bbbbbbbb" });
    expect(a.id).not.toBe(b.id);
  });
});

describe("restart in the middle of a generation", () => {
  it("a new process with the same DATA_DIR finishes the job", async () => {
    const dataDir = newDataDir();
    const first = await start({ env: liveEnv(), dataDir });
    const created = await createGeneration(first.url, { image, prompt: "she laughs" });
    await waitFor(async () => (await getGeneration(first.url, created.id)).status === "processing");
    await first.stop();

    const second = await start({ env: liveEnv(), dataDir });
    const done = await waitForFinal(second.url, created.id);
    expect(done.status).toBe("succeeded");
    const video = await fetch(`${second.url}${done.videoUrl}`);
    expect(video.status).toBe(200);
    expect(
      Buffer.from(await video.arrayBuffer())
        .subarray(4, 8)
        .toString("latin1"),
    ).toBe("ftyp");
    // One task upstream, however many processes followed it.
    expect(upstream.stats().creates.requests.filter((request) => request.params.prompt === "she laughs")).toHaveLength(1);
  });
});

describe("callbacks", () => {
  it("a notification makes the tracker re-read the task at once, long before the next poll", async () => {
    const port = await freePort();
    const app = await start({
      env: liveEnv({ POLL_INTERVAL_MS: "60000", PUBLIC_BASE_URL: `http://127.0.0.1:${port}` }),
      port,
    });
    const created = await createGeneration(app.url, { image, prompt: "callback path" });
    const request = await waitFor(async () => upstream.stats().creates.requests.find((entry) => entry.params.prompt === "callback path"));
    expect(request.params.callback_url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/api/callbacks/vtrix/[0-9A-Za-z]{32}$`));
    // With a one-minute poll interval, only the callbacks can bring the result this fast.
    const done = await waitForFinal(app.url, created.id, 20_000);
    expect(done.status).toBe("succeeded");
    expect(upstream.stats().callbacks.sent).toBeGreaterThanOrEqual(1);
  });

  it("never trusts the body: a forged 'completed' changes nothing", async () => {
    const port = await freePort();
    const app = await start({ env: liveEnv({ POLL_INTERVAL_MS: "60000", PUBLIC_BASE_URL: `http://127.0.0.1:${port}` }), port });
    const created = await createGeneration(app.url, { image, prompt: "forged callback" });
    const request = await waitFor(async () => upstream.stats().creates.requests.find((entry) => entry.params.prompt === "forged callback"));
    const callbackUrl = String(request.params.callback_url);
    const forged = await fetch(callbackUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ id: "x", status: "completed", output: [{ content: [{ type: "video", url: "https://evil.example/x.mp4" }] }] }),
    });
    expect(forged.status).toBe(200);
    const view = await getGeneration(app.url, created.id);
    expect(view.status).not.toBe("succeeded");

    const unknown = await fetch(callbackUrl.replace(/[0-9A-Za-z]{32}$/, "A".repeat(32)), {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: "{}",
    });
    expect(unknown.status).toBe(404);
  });

  it("echoes a challenge", async () => {
    const port = await freePort();
    const app = await start({ env: liveEnv({ PUBLIC_BASE_URL: `http://127.0.0.1:${port}` }), port });
    upstream.setFaults({ callbackChallenge: true });
    const created = await createGeneration(app.url, { image });
    await waitForFinal(app.url, created.id);
    expect(upstream.stats().callbacks.challengeEchoed).toBeGreaterThanOrEqual(1);
  });
});

describe("the API key stays secret", () => {
  it("appears in no response and no log line", async () => {
    const app = await start({ env: liveEnv() });
    const created = await createGeneration(app.url, { image });
    const done = await waitForFinal(app.url, created.id);
    upstream.setFaults({ createHttpStatus: { status: 401, times: 1 } });
    const failed = await waitForFinal(app.url, (await createGeneration(app.url, { image })).id);
    const pages = await Promise.all(
      ["/api/health", "/api/generations", `/api/generations/${done.id}`, `/api/generations/${failed.id}`, "/", `/g/${done.id}`].map(async (path) =>
        (await fetch(`${app.url}${path}`)).text(),
      ),
    );
    for (const page of pages) expect(page).not.toContain(API_KEY);
    expect(app.output().length).toBeGreaterThan(0);
    expect(app.output()).not.toContain(API_KEY);
    expect(readFileSync(`${app.dataDir}/portrait-live.sqlite`).includes(Buffer.from(API_KEY))).toBe(false);
  });
});
