import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startFakeUpstream, type FakeUpstream } from "../fake-upstream/fake-upstream";
import { createGeneration, getGeneration, waitFor, waitForFinal } from "../support/api";
import { startApp, type AppServer } from "../support/app-server";
import { makePortrait } from "../support/portraits";
import { awaitingCost, countRows, createTakes, errorOf, postTakes } from "../support/takes-api";
import { createUpload } from "../support/upload-api";

const API_KEY = "vtx-queue-secret-81aa";
// Tasks stay pending until the test completes them: a slot frees only when the test says so.
const HELD = { pendingMs: 600_000, processingMs: 600_000 };
let upstream: FakeUpstream;
let portrait: Buffer;
const apps: AppServer[] = [];

beforeAll(async () => {
  upstream = await startFakeUpstream({ apiKey: API_KEY, timeline: HELD });
  portrait = await makePortrait();
});

// Each test counts the provider's creates: no server of an earlier test may still be sending them.
afterEach(async () => {
  await Promise.all(apps.splice(0).map((server) => server.stop()));
});

afterAll(async () => {
  await upstream?.close();
});

async function start(env: Record<string, string>, dataDir?: string) {
  const server = await startApp({
    dataDir,
    env: { VTRIX_API_KEY: API_KEY, VTRIX_BASE_URL: upstream.url, ALLOW_INSECURE_RESULT_URLS: "1", POLL_INTERVAL_MS: "100", ...env },
  });
  apps.push(server);
  return server;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const accepted = () => upstream.stats().creates.accepted;
const taskOf = (index: number) => upstream.stats().creates.requests.filter((request) => request.taskId)[index]!.taskId!;
const promptsSent = (from: number) =>
  upstream
    .stats()
    .creates.requests.filter((request) => request.taskId)
    .slice(from)
    .map((request) => request.params.prompt);

describe("the queue (MAX_IN_FLIGHT=2)", () => {
  it("holds a set of 3 behind 2 running tasks, then starts exactly one per freed slot, in order; a waiting take can be cancelled", async () => {
    upstream.reset();
    const app = await start({ MAX_IN_FLIGHT: "2", MAX_QUEUED: "10" });
    const upload = await createUpload(app.url, portrait);
    const running = [
      await createGeneration(app.url, { uploadId: upload.id, prompt: "running one" }),
      await createGeneration(app.url, { uploadId: upload.id, prompt: "running two" }),
    ];
    await waitFor(async () => accepted() === 2);

    const set = await createTakes(app.url, { uploadId: upload.id, takes: [{ prompt: "take one" }, { prompt: "take two" }, { prompt: "take three" }] });
    expect(set.generations.map((generation) => generation.status)).toEqual(["queued", "queued", "queued"]);
    expect(set.generations.map((generation) => generation.queuePosition)).toEqual([1, 2, 3]);
    for (const generation of set.generations) expect(Date.parse(generation.estimatedStartAt ?? "")).toBeGreaterThan(Date.now() - 60_000);
    // Nothing more goes upstream while both slots are taken.
    await sleep(1_500);
    expect(accepted()).toBe(2);
    expect((await getGeneration(app.url, set.generations[2]!.id)).queuePosition).toBe(3);
    // Its page and the history say so in the server's HTML.
    const page = await (await fetch(`${app.url}/g/${set.generations[2]!.id}`)).text();
    expect(page).toContain("Waiting for a free slot");
    expect(page).toMatch(/data-testid="queue-position"[^>]*>3rd</);
    const compare = await (await fetch(`${app.url}/t/${set.id}`)).text();
    expect(compare.match(/data-testid="queue-position"[^>]*>(1st|2nd|3rd)</g)).toHaveLength(3);
    const history = await (await fetch(`${app.url}/history`)).text();
    for (const place of [1, 2, 3]) expect(history).toContain(`#${place} in line`);

    upstream.completeTask(taskOf(0));
    await waitFor(async () => accepted() === 3, 20_000);
    await waitForFinal(app.url, running[0]!.id);
    await sleep(1_000);
    expect(accepted()).toBe(3);
    expect(promptsSent(2)).toEqual(["take one"]);
    expect((await getGeneration(app.url, set.generations[1]!.id)).queuePosition).toBe(1);

    upstream.completeTask(taskOf(1));
    await waitFor(async () => accepted() === 4, 20_000);
    await sleep(1_000);
    expect(accepted()).toBe(4);
    expect(promptsSent(2)).toEqual(["take one", "take two"]);

    // The last take is still waiting: cancelling it sends nothing and stops its estimate counting.
    const third = set.generations[2]!.id;
    expect(awaitingCost(app.dataDir, third)).toBe(1);
    const cancelled = await fetch(`${app.url}/api/generations/${third}/cancel`, { method: "POST" });
    expect(cancelled.status).toBe(200);
    expect(await cancelled.json()).toMatchObject({ status: "failed", error: { code: "cancelled" } });
    expect(awaitingCost(app.dataDir, third)).toBe(0);
    // A running one cannot be cancelled (its task exists and may be billed).
    const runningTake = await errorOf(await fetch(`${app.url}/api/generations/${set.generations[0]!.id}/cancel`, { method: "POST" }));
    expect(runningTake).toMatchObject({ status: 409, code: "not_ready" });

    upstream.completeTask(taskOf(2));
    await waitForFinal(app.url, set.generations[0]!.id);
    await sleep(1_500);
    expect(accepted()).toBe(4);
    upstream.completeTask(taskOf(3));
    await waitForFinal(app.url, set.generations[1]!.id);
  });

  it("refuses a set that would overflow MAX_QUEUED and adds nothing", async () => {
    upstream.reset();
    const app = await start({ MAX_IN_FLIGHT: "1", MAX_QUEUED: "2" });
    const upload = await createUpload(app.url, portrait);
    await createGeneration(app.url, { uploadId: upload.id, prompt: "holds the slot" });
    await waitFor(async () => accepted() === 1);
    const before = countRows(app.dataDir, "generations");
    const refused = await errorOf(await postTakes(app.url, { uploadId: upload.id, takes: [{ prompt: "a" }, { prompt: "b" }, { prompt: "c" }] }));
    expect(refused).toMatchObject({ status: 429, code: "rate_limited" });
    expect(refused.message).toMatch(/queue is full.*3 more would not fit/);
    expect(countRows(app.dataDir, "generations")).toBe(before);
    expect(countRows(app.dataDir, "take_sets")).toBe(0);
    expect((await postTakes(app.url, { uploadId: upload.id, takes: [{ prompt: "a" }, { prompt: "b" }] })).status).toBe(201);
    expect(accepted()).toBe(1);
    upstream.completeTask(taskOf(0));
  });

  it("re-checks the day's budget when a waiting take's turn comes, at the provider's real cost", async () => {
    // The provider bills $0.50, not the $0.30 estimate the set was admitted at (4 × 0.30 = the $1.20 cap).
    const dearer = await startFakeUpstream({ apiKey: API_KEY, timeline: HELD, cost: "0.50" });
    try {
      const app = await start({ MAX_IN_FLIGHT: "1", MAX_QUEUED: "10", MAX_SPEND_USD_DAY: "1.20", COST_ESTIMATE_USD: "0.30", VTRIX_BASE_URL: dearer.url });
      const sent = () => dearer.stats().creates.requests.filter((request) => request.taskId);
      const upload = await createUpload(app.url, portrait);
      const set = await createTakes(app.url, { uploadId: upload.id, takes: [{ prompt: "one" }, { prompt: "two" }, { prompt: "three" }, { prompt: "four" }] });
      await waitFor(async () => sent().length === 1);
      dearer.completeTask(sent()[0]!.taskId!);
      // $0.50 billed + $0.50 for the next fits under $1.20.
      await waitFor(async () => sent().length === 2, 20_000);
      dearer.completeTask(sent()[1]!.taskId!);
      // $1.00 billed leaves no room for another $0.50 today: the last two fail without being sent.
      for (const take of set.generations.slice(2)) {
        const final = await waitForFinal(app.url, take.id);
        expect(final).toMatchObject({
          status: "failed",
          error: { code: "budget_exhausted", message: expect.stringMatching(/today's spending limit of \$1\.20 is used up/) },
        });
      }
      expect(sent()).toHaveLength(2);
      // Nothing was sent for them, so nothing is reserved for them any more.
      for (const take of set.generations.slice(2)) expect(awaitingCost(app.dataDir, take.id)).toBe(0);
    } finally {
      await dearer.close();
    }
  });

  it("survives a restart: waiting generations start on the new server as slots free", async () => {
    upstream.reset();
    const first = await start({ MAX_IN_FLIGHT: "1", MAX_QUEUED: "5" });
    const upload = await createUpload(first.url, portrait);
    const holder = await createGeneration(first.url, { uploadId: upload.id, prompt: "before the restart" });
    await waitFor(async () => accepted() === 1);
    const set = await createTakes(first.url, { uploadId: upload.id, takes: [{ prompt: "after one" }, { prompt: "after two" }] });
    await first.stop();

    const second = await start({ MAX_IN_FLIGHT: "1", MAX_QUEUED: "5" }, first.dataDir);
    expect((await getGeneration(second.url, set.generations[0]!.id)).queuePosition).toBe(1);
    await sleep(1_000);
    expect(accepted()).toBe(1);
    upstream.completeTask(taskOf(0));
    await waitForFinal(second.url, holder.id);
    await waitFor(async () => accepted() === 2, 20_000);
    expect(promptsSent(1)).toEqual(["after one"]);
    upstream.completeTask(taskOf(1));
    await waitFor(async () => accepted() === 3, 20_000);
    expect(promptsSent(1)).toEqual(["after one", "after two"]);
    upstream.completeTask(taskOf(2));
    const done = await Promise.all(set.generations.map((generation) => waitForFinal(second.url, generation.id)));
    expect(done.map((generation) => generation.status)).toEqual(["succeeded", "succeeded"]);
  });
});
