import { beforeAll, describe, expect, it } from "vitest";
import type { FakeUpstream } from "../fake-upstream/fake-upstream";
import { createGeneration, waitForFinal } from "../support/api";
import type { AppServer } from "../support/app-server";
import { setUpLiveApp } from "../support/live-app";
import { makePortrait, toDataUrl } from "../support/portraits";

const API_KEY = "vtx-faults-secret-91c2";
const live = setUpLiveApp({
  apiKey: API_KEY,
  timeline: { pendingMs: 100, processingMs: 300 },
  app: { env: { POLL_INTERVAL_MS: "100", UPSTREAM_TIMEOUT_MS: "1500", GENERATION_DEADLINE_MS: "8000" } },
  resetAfterEach: "faults",
});
let upstream: FakeUpstream;
let app: AppServer;
let image: string;

beforeAll(async () => {
  ({ upstream, app } = live);
  image = toDataUrl(await makePortrait());
});

const generate = async () => waitForFinal(app.url, (await createGeneration(app.url, { image })).id, 40_000);

describe("provider failures while creating", () => {
  it.each([
    [401, "upstream_unauthorized", "API key is missing or invalid"],
    [403, "upstream_forbidden", "insufficient balance"],
  ] as const)("HTTP %i fails the generation with a specific message", async (status, code, text) => {
    upstream.setFaults({ createHttpStatus: { status, times: 1 } });
    const done = await generate();
    expect(done.status).toBe("failed");
    expect(done.error?.code).toBe(code);
    expect(done.error?.message).toContain(text);
  });

  it("a 429 on create is safe to send again later: the generation still succeeds", async () => {
    upstream.setFaults({ createHttpStatus: { status: 429, times: 1 } });
    const before = upstream.stats().creates.accepted;
    const done = await generate();
    expect(done.status).toBe("succeeded");
    expect(upstream.stats().creates.accepted - before).toBe(1);
  });

  it("a 500 on create is never retried blindly (it may have charged)", async () => {
    upstream.setFaults({ createHttpStatus: { status: 500, times: 1 } });
    const before = upstream.stats().creates;
    const done = await generate();
    expect(done.status).toBe("failed");
    expect(done.error?.message).toContain("not repeated");
    const after = upstream.stats().creates;
    expect(after.accepted + after.rejected - (before.accepted + before.rejected)).toBe(1);
  });

  it("a create that answers too slowly fails without a second attempt", async () => {
    upstream.setFaults({ delayMs: { create: 2000 } });
    const before = upstream.stats().creates;
    const done = await generate();
    expect(done.status).toBe("failed");
    expect(done.error?.code).toBe("upstream_timeout");
    // The slow gateway records the request only once its delay is over; give it time, then count.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const after = upstream.stats().creates;
    expect(after.accepted + after.rejected - (before.accepted + before.rejected)).toBe(1);
  });

  it("malformed JSON from create fails clearly", async () => {
    upstream.setFaults({ createMalformedJson: 1 });
    const done = await generate();
    expect(done.status).toBe("failed");
    expect(done.error?.code).toBe("upstream_bad_response");
  });
});

describe("provider failures while polling", () => {
  it.each([
    ["500s", { pollHttpStatus: { status: 500, times: 3 } }],
    ["429s", { pollHttpStatus: { status: 429, times: 2 } }],
    ["malformed JSON", { pollMalformedJson: 3 }],
    ["slow answers", { delayMs: { poll: 1000 } }],
  ] as const)("recovers from %s and still finishes", async (_name, faults) => {
    upstream.setFaults(faults);
    const done = await generate();
    expect(done.status).toBe("succeeded");
  });

  it.each([
    [10006095, "error_message", "internal error while generating"],
    [10006096, "message", "could not read back"],
    ["010006097", "error_message", "error response from the model service"],
    [10006098, "message", "could not check the task's status"],
    ["010006099", "error_message", "could not create the task"],
  ] as const)("a task failing with %s shows its human message", async (code, errorShape, text) => {
    upstream.setFaults({ failNextTasks: { code, times: 1, errorShape } });
    const done = await generate();
    expect(done.status).toBe("failed");
    expect(done.error?.code).toBe(String(code).replace(/^0+/, ""));
    expect(done.error?.message).toContain(text);
  });

  it("a plain-string task error is shown in the provider's words", async () => {
    upstream.setFaults({ failNextTasks: { code: 1, times: 1, errorShape: "string" } });
    const done = await generate();
    expect(done.status).toBe("failed");
    expect(done.error?.message).toMatch(/^The provider could not generate the video: .+/);
  });

  it.each([
    ["the object output shape", { outputShape: "object" }],
    ["alternate status words without progress", { statusSpelling: "alternate" }],
    ["a numeric cost", { costAsNumber: true }],
  ] as const)("understands %s", async (_name, faults) => {
    upstream.setFaults(faults);
    const done = await generate();
    expect(done.status).toBe("succeeded");
    expect(done.cost).toBe("0.28");
  });

  it("an unknown status keeps waiting and then fails at the deadline", async () => {
    upstream.setFaults({ unknownStatus: "warming_up" });
    const done = await generate();
    expect(done.status).toBe("failed");
    expect(done.error?.code).toBe("deadline_exceeded");
    expect(app.output()).toContain("warming_up");
  });

  it("an expired result link is re-read once for a fresh link, then fails clearly instead of retrying for an hour", async () => {
    upstream.setFaults({ expireResults: true });
    const denied = upstream.stats().cdn.denied;
    const created = await createGeneration(app.url, { image });
    const done = await waitForFinal(app.url, created.id, 20_000);
    expect(done.status).toBe("failed");
    expect(done.error?.code).toBe("result_expired");
    expect(done.error?.message).toMatch(/expired/);
    expect(done.videoUrl).toBeNull();
    // The first link and the fresh one from one re-read: nothing more.
    expect(upstream.stats().cdn.denied - denied).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(upstream.stats().cdn.denied - denied).toBe(2);
  });

  it.each([
    ["a non-http scheme", "ftp", "will not follow"],
    ["credentials in the link", "credentials", "will not follow"],
    ["a redirect loop", "redirect-loop", "redirected too many times"],
  ] as const)("a result link with %s fails at once with a clear message", async (_name, refusedResultLinks, text) => {
    upstream.setFaults({ refusedResultLinks });
    const before = upstream.stats().cdn;
    const created = await createGeneration(app.url, { image });
    const done = await waitForFinal(app.url, created.id, 20_000);
    expect(done.status).toBe("failed");
    expect(done.error?.code).toBe("result_refused");
    expect(done.error?.message).toContain(text);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const after = upstream.stats().cdn;
    expect(after.downloads - before.downloads).toBe(0);
    // One try (a redirect loop follows its three allowed hops once): no retries.
    expect(after.denied - before.denied).toBeLessThanOrEqual(4);
  });

  it("polls failing past the deadline get one last look: a task that finished is saved", { timeout: 90_000 }, async () => {
    // Every poll fails from the start; the provider finishes the task at once.
    upstream.setFaults({ pollHttpStatus: { status: 500, times: 1_000 } });
    const tasksBefore = upstream.stats().tasks.length;
    const created = await createGeneration(app.url, { image });
    // Past the 8 s deadline, counted from the generation's creation.
    await new Promise((resolve) => setTimeout(resolve, 8500));
    expect(upstream.stats().tasks.length).toBe(tasksBefore + 1);
    upstream.resetFaults();
    const done = await waitForFinal(app.url, created.id, 70_000);
    expect(done.status).toBe("succeeded");
  });
});
