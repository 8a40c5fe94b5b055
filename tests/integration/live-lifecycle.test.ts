import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { generationListSchema } from "@/lib/contracts/generation";
import type { FakeUpstream } from "../fake-upstream/fake-upstream";
import { createGeneration, waitForFinal } from "../support/api";
import type { AppServer } from "../support/app-server";
import { setUpLiveApp } from "../support/live-app";
import { makePortrait, toDataUrl } from "../support/portraits";

const API_KEY = "vtx-live-lifecycle-secret-7f3a";
const live = setUpLiveApp({
  apiKey: API_KEY,
  timeline: { pendingMs: 200, processingMs: 600 },
  app: { env: { POLL_INTERVAL_MS: "150" } },
  resetAfterEach: "faults",
});
let upstream: FakeUpstream;
let app: AppServer;
let image: string;

beforeAll(async () => {
  ({ upstream, app } = live);
  image = toDataUrl(await makePortrait());
});

describe("a generation against the provider", () => {
  it("goes from queued to a stored MP4 and reports the provider's cost", async () => {
    const created = await createGeneration(app.url, { image, prompt: "she smiles and turns to the camera" });
    expect(created).toMatchObject({ status: "queued", mode: "live", prompt: "she smiles and turns to the camera", videoUrl: null });
    expect(created.options).toEqual({ promptOptimizer: true, watermark: false, duration: 6, resolution: "720P" });

    const done = await waitForFinal(app.url, created.id);
    expect(done).toMatchObject({ status: "succeeded", progress: 1, cost: "0.28", error: null });
    expect(done.videoUrl).toBe(`/api/generations/${created.id}/video`);
    expect(done.shareUrl).toMatch(/^\/s\/[A-Za-z0-9_-]{24}$/);

    const sent = upstream.stats().creates.requests.at(-1);
    expect(sent?.params).toMatchObject({
      prompt: "she smiles and turns to the camera",
      duration: 6,
      resolution: "720P",
      prompt_optimizer: true,
      aigc_watermark: false,
    });

    const video = await fetch(`${app.url}${done.videoUrl}`);
    expect(video.status).toBe(200);
    expect(video.headers.get("content-type")).toBe("video/mp4");
    const bytes = Buffer.from(await video.arrayBuffer());
    expect(bytes.subarray(4, 8).toString("latin1")).toBe("ftyp");
    // Players start with an open range; the answer carries the file's full size.
    const opening = await fetch(`${app.url}${done.videoUrl}`, { headers: { Range: "bytes=0-" } });
    expect(opening.status).toBe(206);
    expect(opening.headers.get("content-range")).toBe(`bytes 0-${bytes.length - 1}/${bytes.length}`);
    await opening.body?.cancel();
    expect(readdirSync(path.join(app.dataDir, "media", "videos"))).toContain(`${created.id}.mp4`);
  });

  it("serves byte ranges, validators and a readable download name", async () => {
    const done = await waitForFinal(app.url, (await createGeneration(app.url, { image, prompt: "A gentle blink!" })).id);
    const url = `${app.url}${done.videoUrl}`;
    const full = Buffer.from(await (await fetch(url)).arrayBuffer());

    const partial = await fetch(url, { headers: { Range: "bytes=100-199" } });
    expect(partial.status).toBe(206);
    expect(partial.headers.get("content-range")).toBe(`bytes 100-199/${full.length}`);
    expect(Buffer.from(await partial.arrayBuffer())).toEqual(full.subarray(100, 200));

    const tail = await fetch(url, { headers: { Range: "bytes=-50" } });
    expect(Buffer.from(await tail.arrayBuffer())).toEqual(full.subarray(full.length - 50));

    const outside = await fetch(url, { headers: { Range: `bytes=${full.length + 10}-` } });
    expect(outside.status).toBe(416);
    expect(outside.headers.get("content-range")).toBe(`bytes */${full.length}`);

    const etag = (await fetch(url, { method: "HEAD" })).headers.get("etag");
    expect(etag).toBeTruthy();
    expect((await fetch(url, { headers: { "If-None-Match": etag ?? "" } })).status).toBe(304);

    const download = await fetch(`${app.url}${done.downloadUrl}`);
    expect(download.headers.get("content-disposition")).toMatch(/^attachment; filename="portrait-live-\d{4}-\d{2}-\d{2}-a-gentle-blink\.mp4"$/);
    await download.body?.cancel();

    const poster = await fetch(`${app.url}${done.inputUrl}`);
    expect(poster.headers.get("content-type")).toBe("image/jpeg");
    expect(Buffer.from(await poster.arrayBuffer()).subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
  });

  it("does not call the provider when watchers poll the status route", async () => {
    const created = await createGeneration(app.url, { image });
    const pollsBefore = upstream.stats().polls.total;
    await Promise.all(Array.from({ length: 40 }, () => fetch(`${app.url}/api/generations/${created.id}`).then((r) => r.json())));
    // 40 reads of our store cost at most the tracker's own poll or two in the meantime.
    expect(upstream.stats().polls.total - pollsBefore).toBeLessThanOrEqual(3);
    await waitForFinal(app.url, created.id);
  });

  it("streams every change as server-sent events until the generation is final", async () => {
    const created = await createGeneration(app.url, { image, prompt: "event stream" });
    const response = await fetch(`${app.url}/api/generations/${created.id}/events`);
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    const text = await response.text(); // the server ends the stream once the status is final
    const views = text
      .split("\n\n")
      .filter((chunk) => chunk.startsWith("data: "))
      .map((chunk) => JSON.parse(chunk.slice(6)) as { status: string; progress: number | null });
    expect(views.at(-1)?.status).toBe("succeeded");
    expect(views.map((view) => view.status)).toContain("processing");
    expect((await fetch(`${app.url}/api/generations/${"Z".repeat(21)}/events`)).status).toBe(404);
  });

  it("lists history newest first with a cursor, and filters by status", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await createGeneration(app.url, { image, prompt: `page ${i}` })).id);
    const first = generationListSchema.parse(await (await fetch(`${app.url}/api/generations?limit=2`)).json());
    expect(first.items.map((item) => item.id)).toEqual([ids[2], ids[1]]);
    expect(first.nextCursor).toBeTruthy();
    const second = generationListSchema.parse(await (await fetch(`${app.url}/api/generations?limit=2&cursor=${first.nextCursor}`)).json());
    expect(second.items[0]?.id).toBe(ids[0]);
    await Promise.all(ids.map((id) => waitForFinal(app.url, id)));
    const succeeded = generationListSchema.parse(await (await fetch(`${app.url}/api/generations?status=succeeded&limit=100`)).json());
    expect(succeeded.items.every((item) => item.status === "succeeded")).toBe(true);
    expect(succeeded.items.map((item) => item.id)).toEqual(expect.arrayContaining(ids));
  });

  it("deletes a generation with its files", async () => {
    const inputs = () => readdirSync(path.join(app.dataDir, "media", "inputs")).sort();
    const inputsBefore = inputs();
    const done = await waitForFinal(app.url, (await createGeneration(app.url, { image })).id);
    expect(inputs()).toHaveLength(inputsBefore.length + 1);
    const response = await fetch(`${app.url}/api/generations/${done.id}`, { method: "DELETE" });
    expect(response.status).toBe(204);
    expect((await fetch(`${app.url}/api/generations/${done.id}`)).status).toBe(404);
    expect((await fetch(`${app.url}${done.videoUrl}`)).status).toBe(404);
    expect(existsSync(path.join(app.dataDir, "media", "videos", `${done.id}.mp4`))).toBe(false);
    expect(inputs()).toEqual(inputsBefore);
  });

  it("sends the options and an upright, metadata-free JPEG upstream", async () => {
    const rotated = toDataUrl(await makePortrait({ width: 800, height: 600, exifOrientation: 6 }));
    const created = await createGeneration(app.url, { image: rotated, promptOptimizer: false, watermark: true });
    await waitForFinal(app.url, created.id);
    const sent = upstream.stats().creates.requests.at(-1);
    expect(sent?.params).toMatchObject({ prompt_optimizer: false, aigc_watermark: true });
    expect(sent?.image).toMatchObject({ format: "jpeg", width: 600, height: 800 });
  });
});
