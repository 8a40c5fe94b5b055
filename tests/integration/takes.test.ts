import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { generationListSchema } from "@/lib/contracts/generation";
import { startFakeUpstream, type FakeUpstream } from "../fake-upstream/fake-upstream";
import { waitForFinal } from "../support/api";
import { startApp, type AppServer } from "../support/app-server";
import { makePortrait } from "../support/portraits";
import { countRows, createTakes, errorOf, getTakes, postTakes } from "../support/takes-api";
import { createUpload, storedInputs } from "../support/upload-api";

const API_KEY = "vtx-takes-secret-3e9b";
let upstream: FakeUpstream;
let app: AppServer;
let portrait: Buffer;
const extraApps: AppServer[] = [];

const liveEnv = () => ({ VTRIX_API_KEY: API_KEY, VTRIX_BASE_URL: upstream.url, ALLOW_INSECURE_RESULT_URLS: "1", POLL_INTERVAL_MS: "100" });

beforeAll(async () => {
  upstream = await startFakeUpstream({ apiKey: API_KEY, timeline: { pendingMs: 100, processingMs: 300 } });
  app = await startApp({ env: liveEnv() });
  portrait = await makePortrait();
});

afterAll(async () => {
  await Promise.all([app, ...extraApps].map((server) => server?.stop()));
  await upstream?.close();
});

beforeEach(() => upstream.resetFaults());

const takes = (...prompts: string[]) => prompts.map((prompt) => ({ prompt }));
const nothingChanged = (server: AppServer) => ({
  generations: countRows(server.dataDir, "generations"),
  sets: countRows(server.dataDir, "take_sets"),
  creates: upstream.stats().creates.requests.length,
});

describe("POST /api/takes validates the whole set and stores nothing when it refuses", () => {
  const cases: Array<[string, (uploadId: string) => unknown, RegExp, string?]> = [
    ["no takes", (uploadId) => ({ uploadId, takes: [] }), /at least 1 take/, "takes"],
    ["five takes", (uploadId) => ({ uploadId, takes: takes("a", "b", "c", "d", "e") }), /At most 4 takes/, "takes"],
    ["an empty prompt", (uploadId) => ({ uploadId, takes: takes("she smiles", "   ") }), /Each take needs a prompt/, "takes.1.prompt"],
    ["a prompt over 2000 characters", (uploadId) => ({ uploadId, takes: takes("x".repeat(2001)) }), /at most 2000 characters/, "takes.0.prompt"],
    ["a prompt with control characters", (uploadId) => ({ uploadId, takes: takes("hi\u0007") }), /control characters/, "takes.0.prompt"],
    ["takes that is not a list", (uploadId) => ({ uploadId, takes: "smile" }), /list of 1 to 4 takes/, "takes"],
    ["an unknown field in a take", (uploadId) => ({ uploadId, takes: [{ prompt: "smile", speed: 2 }] }), /speed/],
    ["neither uploadId nor image", () => ({ takes: takes("smile") }), /either uploadId/, "uploadId"],
  ];

  it.each(cases)("%s", async (_name, body, message, field) => {
    const upload = await createUpload(app.url, portrait);
    const before = nothingChanged(app);
    const refused = await errorOf(await postTakes(app.url, body(upload.id)));
    expect(refused.status).toBe(400);
    expect(refused.message).toMatch(message);
    if (field) expect(refused.field).toBe(field);
    expect(nothingChanged(app)).toEqual(before);
  });

  it("an unknown upload is a 404 on uploadId", async () => {
    const before = nothingChanged(app);
    const refused = await errorOf(await postTakes(app.url, { uploadId: "U".repeat(21), takes: takes("smile") }));
    expect(refused).toMatchObject({ status: 404, field: "uploadId" });
    expect(nothingChanged(app)).toEqual(before);
  });
});

describe("a set of takes", () => {
  it("starts every take from one stored upload, each with its own prompt, and finishes them all", async () => {
    const upload = await createUpload(app.url, portrait);
    const inputsBefore = storedInputs(app.dataDir).length;
    const createsBefore = upstream.stats().creates.accepted;
    const set = await createTakes(app.url, {
      uploadId: upload.id,
      takes: [{ prompt: "she smiles" }, { prompt: "she turns to the camera", promptOptimizer: false }, { prompt: "a slow blink", watermark: true }],
    });
    expect(set.generations.map((generation) => generation.prompt)).toEqual(["she smiles", "she turns to the camera", "a slow blink"]);
    expect(set.generations.every((generation) => generation.takeSetId === set.id)).toBe(true);
    expect(set.favouriteId).toBeNull();
    const done = await Promise.all(set.generations.map((generation) => waitForFinal(app.url, generation.id)));
    expect(done.map((generation) => generation.status)).toEqual(["succeeded", "succeeded", "succeeded"]);
    expect(upstream.stats().creates.accepted - createsBefore).toBe(3);
    const sent = upstream
      .stats()
      .creates.requests.slice(-3)
      .map((request) => request.params);
    expect(sent.map((params) => params.prompt).sort()).toEqual(["a slow blink", "she smiles", "she turns to the camera"]);
    // One stored input behind every take: no copy was made.
    expect(storedInputs(app.dataDir).length).toBe(inputsBefore);
  });

  it("replays the same set for the same Idempotency-Key and starts nothing more", async () => {
    const upload = await createUpload(app.url, portrait);
    const key = `takes-${Date.now()}`;
    const first = await postTakes(app.url, { uploadId: upload.id, takes: takes("one", "two") }, { "Idempotency-Key": key });
    expect(first.status).toBe(201);
    const firstSet = (await first.json()) as { id: string; generations: Array<{ id: string }> };
    await Promise.all(firstSet.generations.map((generation) => waitForFinal(app.url, generation.id)));
    const before = nothingChanged(app);
    const replays = await Promise.all(
      Array.from({ length: 3 }, () => postTakes(app.url, { uploadId: upload.id, takes: takes("one", "two") }, { "Idempotency-Key": key })),
    );
    for (const replay of replays) {
      expect(replay.status).toBe(200);
      const body = (await replay.json()) as { id: string; generations: Array<{ id: string }> };
      expect(body.id).toBe(firstSet.id);
      expect(body.generations.map((generation) => generation.id)).toEqual(firstSet.generations.map((generation) => generation.id));
    }
    expect(nothingChanged(app)).toEqual(before);
  });

  it("the same key raced in parallel makes one set and one task per take", async () => {
    const upload = await createUpload(app.url, portrait);
    const key = `race-${Date.now()}`;
    const before = nothingChanged(app);
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => postTakes(app.url, { uploadId: upload.id, takes: takes("a", "b", "c") }, { "Idempotency-Key": key })),
    );
    const bodies = (await Promise.all(answers.map((answer) => answer.json()))) as Array<{ id: string; generations: Array<{ id: string }> }>;
    expect(new Set(bodies.map((body) => body.id)).size).toBe(1);
    expect(answers.filter((answer) => answer.status === 201)).toHaveLength(1);
    await Promise.all(bodies[0]!.generations.map((generation) => waitForFinal(app.url, generation.id)));
    const after = nothingChanged(app);
    expect(after.generations - before.generations).toBe(3);
    expect(after.sets - before.sets).toBe(1);
    expect(after.creates - before.creates).toBe(3);
  });

  it("picks a favourite among its own takes, shows it in history, and refuses a stranger", async () => {
    const upload = await createUpload(app.url, portrait);
    const set = await createTakes(app.url, { uploadId: upload.id, takes: takes("left", "right") });
    const second = set.generations[1]!.id;
    const put = await fetch(`${app.url}/api/takes/${set.id}`, {
      method: "PUT",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ favouriteId: second }),
    });
    expect(put.status).toBe(200);
    expect((await getTakes(app.url, set.id)).favouriteId).toBe(second);
    const list = generationListSchema.parse(await (await fetch(`${app.url}/api/generations?limit=10`)).json());
    expect(list.items.find((item) => item.id === second)).toMatchObject({ takeSetId: set.id, favourite: true });
    expect(list.items.find((item) => item.id === set.generations[0]!.id)).toMatchObject({ takeSetId: set.id, favourite: false });

    const stranger = await fetch(`${app.url}/api/takes/${set.id}`, {
      method: "PATCH",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ favouriteId: "S".repeat(21) }),
    });
    expect(await errorOf(stranger)).toMatchObject({ status: 400, field: "favouriteId" });
    expect((await getTakes(app.url, set.id)).favouriteId).toBe(second);
    const cleared = await fetch(`${app.url}/api/takes/${set.id}`, {
      method: "PATCH",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ favouriteId: null }),
    });
    expect(cleared.status).toBe(200);
    expect((await getTakes(app.url, set.id)).favouriteId).toBeNull();
  });

  it("deleting one take keeps the others and the shared portrait; deleting the set removes all of it", async () => {
    const upload = await createUpload(app.url, portrait);
    const set = await createTakes(app.url, { uploadId: upload.id, takes: takes("one", "two", "three") });
    await Promise.all(set.generations.map((generation) => waitForFinal(app.url, generation.id)));
    const [first, ...rest] = set.generations;
    expect((await fetch(`${app.url}/api/generations/${first!.id}`, { method: "DELETE" })).status).toBe(204);
    const left = await getTakes(app.url, set.id);
    expect(left.generations.map((generation) => generation.id)).toEqual(rest.map((generation) => generation.id));
    expect((await fetch(`${app.url}${rest[0]!.inputUrl}`)).status).toBe(200);

    expect((await fetch(`${app.url}/api/takes/${set.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await fetch(`${app.url}/api/takes/${set.id}`)).status).toBe(404);
    for (const generation of rest) expect((await fetch(`${app.url}/api/generations/${generation.id}`)).status).toBe(404);
    // The last generation using the upload took it along.
    expect((await postTakes(app.url, { uploadId: upload.id, takes: takes("again") })).status).toBe(404);
  });

  it("answers 404 for an unknown set and 400 for a malformed id", async () => {
    expect((await fetch(`${app.url}/api/takes/${"Z".repeat(21)}`)).status).toBe(404);
    expect((await fetch(`${app.url}/api/takes/not..an-id`)).status).toBe(400);
  });

  it("the compare page has the set's takes and their prompts in its server HTML", async () => {
    const upload = await createUpload(app.url, portrait);
    const set = await createTakes(app.url, { uploadId: upload.id, takes: takes("compare me first", "compare me second") });
    await Promise.all(set.generations.map((generation) => waitForFinal(app.url, generation.id)));
    const page = await fetch(`${app.url}/t/${set.id}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("compare me first");
    expect(html).toContain("compare me second");
    for (const generation of set.generations) expect(html).toContain(`/api/generations/${generation.id}/video`);
    expect((await fetch(`${app.url}/t/${"Q".repeat(21)}`)).status).toBe(404);
  });
});

describe("admission of whole sets", () => {
  it("parallel sets against a small queue are each wholly in or wholly out", async () => {
    // Tasks stay processing for the whole test: nothing frees a slot while the sets race.
    const slow = await startFakeUpstream({ apiKey: API_KEY, timeline: { pendingMs: 60_000, processingMs: 60_000 } });
    const server = await startApp({ env: { ...liveEnv(), VTRIX_BASE_URL: slow.url, MAX_IN_FLIGHT: "2", MAX_QUEUED: "5" } });
    try {
      const upload = await createUpload(server.url, portrait);
      const answers = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          postTakes(server.url, { uploadId: upload.id, takes: takes(...Array.from({ length: 3 }, (_, j) => `set ${i} take ${j}`)) }),
        ),
      );
      const statuses = answers.map((answer) => answer.status);
      // 2 running + 5 waiting = room for 7: two sets of 3 fit, a third would overflow.
      expect(statuses.filter((status) => status === 201)).toHaveLength(2);
      expect(statuses.filter((status) => status === 429)).toHaveLength(4);
      for (const answer of answers.filter((item) => item.status === 429)) expect((await errorOf(answer)).message).toMatch(/queue is full/);
      expect(countRows(server.dataDir, "generations")).toBe(6);
      expect(countRows(server.dataDir, "take_sets")).toBe(2);
    } finally {
      // The server first: it must not poll a provider that is gone.
      await server.stop();
      await slow.close();
    }
  });

  it("a set is refused whole when the budget cannot cover all of it (the estimate is reserved for each take)", async () => {
    const server = await startApp({ env: { ...liveEnv(), MAX_SPEND_USD_DAY: "1.00", COST_ESTIMATE_USD: "0.30" } });
    extraApps.push(server);
    const upload = await createUpload(server.url, portrait);
    const refused = await errorOf(await postTakes(server.url, { uploadId: upload.id, takes: takes("a", "b", "c", "d") }));
    expect(refused).toMatchObject({ status: 402, code: "budget_exceeded" });
    expect(refused.message).toContain("$1.2 for these 4");
    expect(countRows(server.dataDir, "generations")).toBe(0);
    const fits = await postTakes(server.url, { uploadId: upload.id, takes: takes("a", "b", "c") });
    expect(fits.status).toBe(201);
    // 3 × 0.30 reserved: one more does not fit until the provider reports the real costs.
    expect((await errorOf(await postTakes(server.url, { uploadId: upload.id, takes: takes("d") }))).status).toBe(402);
  });
});
