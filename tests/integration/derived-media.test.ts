import { readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { imageSize } from "image-size";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loopListSchema, loopStatusSchema, type LoopStatus } from "@/lib/contracts/derived-media";
import type { GenerationView } from "@/lib/contracts/generation";
import { startFakeUpstream, type FakeUpstream } from "../fake-upstream/fake-upstream";
import { sampleVideoPath } from "../fake-upstream/sample-video";
import { createGeneration, getGeneration, waitFor, waitForFinal } from "../support/api";
import { freePort, startApp, type AppServer } from "../support/app-server";
import { frameHashes, gifFrameCount, moovAtEndClip, sha256, topLevelBoxes, videoSize, webpChunks } from "../support/media-files";
import { makePortrait, toDataUrl } from "../support/portraits";
import { INLINE_POSTER_MAX_BYTES } from "@/lib/media/derivatives/derivative-sizes";

const API_KEY = "vtx-derived-media-secret-71c2";
let upstream: FakeUpstream;
let app: AppServer;
let image: string;
let clip: Buffer;
const scratch = os.tmpdir();

const env = () => ({
  VTRIX_API_KEY: API_KEY,
  VTRIX_BASE_URL: upstream.url,
  ALLOW_INSECURE_RESULT_URLS: "1",
  POLL_INTERVAL_MS: "100",
});

beforeAll(async () => {
  // The provider's file has its index at the end, as many encoders leave it.
  const clipFile = moovAtEndClip();
  clip = readFileSync(clipFile);
  upstream = await startFakeUpstream({ apiKey: API_KEY, timeline: { pendingMs: 100, processingMs: 300 }, videoFile: clipFile });
  app = await startApp({ port: await freePort(), env: env() });
  image = toDataUrl(await makePortrait({ width: 600, height: 800 }));
});

afterAll(async () => {
  await app?.stop();
  await upstream?.close();
});

/** The job table as the app keeps it (read-only: counts runs without asking the app). */
function jobs(server: AppServer, generationId: string) {
  const db = new Database(path.join(server.dataDir, "portrait-live.sqlite"), { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare("select kind, ping_pong as pingPong, state, runs, media_key as mediaKey from media_derivatives where generation_id = ?")
      .all(generationId) as Array<{
      kind: string;
      pingPong: number;
      state: string;
      runs: number;
      mediaKey: string | null;
    }>;
  } finally {
    db.close();
  }
}

/** The bytes of a video's inline poster (a data URL) in a page's server HTML. */
function inlinePoster(html: string, testId: string): Buffer | undefined {
  const video = new RegExp(`<video[^>]*data-testid="${testId}"[^>]*>`).exec(html)?.[0] ?? "";
  const data = /poster="data:image\/webp;base64,([A-Za-z0-9+/=]+)"/.exec(video)?.[1];
  return data ? Buffer.from(data, "base64") : undefined;
}

/** Mean absolute difference (0–255) between two pictures, both scaled to the same small grey grid. */
async function meanDifference(a: Buffer, b: Buffer): Promise<number> {
  const grey = (image: Buffer) => sharp(image).resize(36, 48, { fit: "fill" }).greyscale().raw().toBuffer();
  const [x, y] = await Promise.all([grey(a), grey(b)]);
  let sum = 0;
  for (let index = 0; index < x.length; index++) sum += Math.abs((x[index] ?? 0) - (y[index] ?? 0));
  return sum / x.length;
}

const bytesOf = async (url: string, init?: RequestInit) => {
  const response = await fetch(url, init);
  expect(response.status).toBe(200);
  return { body: Buffer.from(await response.arrayBuffer()), headers: response.headers };
};

/** A finished generation whose poster, web remux and light rendition are all made. */
async function finishedWithDerivatives(server: AppServer, prompt: string): Promise<GenerationView> {
  const done = await waitForFinal(server.url, (await createGeneration(server.url, { image, prompt })).id);
  expect(done.status).toBe("succeeded");
  return waitFor(async () => {
    const view = await getGeneration(server.url, done.id);
    return view.videoWidth && view.webVideoUrl && view.lightVideoUrl ? view : undefined;
  }, 90_000);
}

async function loopRequest(server: AppServer, base: string, body: unknown): Promise<{ status: number; loop: LoopStatus }> {
  const response = await fetch(`${server.url}${base}`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  return { status: response.status, loop: loopStatusSchema.parse(await response.json()) };
}

async function loopReady(server: AppServer, base: string, format: string, pingPong: boolean, timeoutMs = 90_000): Promise<LoopStatus> {
  return waitFor(async () => {
    const list = loopListSchema.parse(await (await fetch(`${server.url}${base}`)).json());
    const loop = list.loops.find((candidate) => candidate.format === format && candidate.pingPong === pingPong);
    if (loop?.state === "failed") throw new Error(`loop failed: ${loop.error}`);
    return loop?.state === "ready" ? loop : undefined;
  }, timeoutMs);
}

describe("the provider's sample files", () => {
  it("are real MP4s with frames; the clip used here has its index after the media", () => {
    const sample = readFileSync(sampleVideoPath());
    expect(sample.subarray(4, 8).toString("latin1")).toBe("ftyp");
    expect(frameHashes(sampleVideoPath()).length).toBe(144);
    const boxes = topLevelBoxes(clip);
    expect(boxes.indexOf("moov")).toBeGreaterThan(boxes.indexOf("mdat"));
    expect(frameHashes(moovAtEndClip()).length).toBe(144);
  });
});

describe("derived media of a stored result", () => {
  it("plays a remux with its index first and the very same frames; the download is the provider's file byte for byte", async () => {
    const done = await finishedWithDerivatives(app, "remux");
    expect(done.webVideoUrl).toBe(`/api/generations/${done.id}/video?rendition=web`);

    const web = await bytesOf(`${app.url}${done.webVideoUrl}`);
    const boxes = topLevelBoxes(web.body);
    expect(boxes.indexOf("moov")).toBeGreaterThanOrEqual(0);
    expect(boxes.indexOf("moov")).toBeLessThan(boxes.indexOf("mdat"));
    const webFile = path.join(scratch, `derived-web-${done.id}.mp4`);
    writeFileSync(webFile, web.body);
    const original = frameHashes(moovAtEndClip());
    expect(frameHashes(webFile)).toEqual(original);

    const download = await bytesOf(`${app.url}${done.downloadUrl}`);
    expect(download.headers.get("content-disposition")).toMatch(/^attachment; filename=".+\.mp4"$/);
    expect(sha256(download.body)).toBe(sha256(clip));
    // The plain video address keeps serving the provider's file, so a player mid-way never sees another file.
    expect(sha256((await bytesOf(`${app.url}${done.videoUrl}`)).body)).toBe(sha256(clip));
  });

  it("makes a frame image from the video's size, and reports that size", async () => {
    const done = await finishedWithDerivatives(app, "poster");
    expect({ width: done.videoWidth, height: done.videoHeight }).toEqual({ width: 720, height: 960 });
    const poster = await bytesOf(`${app.url}/api/generations/${done.id}/frame`);
    expect(poster.headers.get("content-type")).toBe("image/jpeg");
    expect(poster.body.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    expect(imageSize(poster.body)).toMatchObject({ width: 720, height: 960 });
    // Not blank: testsrc2 is full of colour and edges.
    const stats = await sharp(poster.body).stats();
    expect(Math.max(...stats.channels.map((channel) => channel.stdev))).toBeGreaterThan(30);
    // It is the video's first frame, not the portrait: compare with the frame ffmpeg decodes.
    const portrait = await bytesOf(`${app.url}${done.inputUrl}`);
    expect(imageSize(portrait.body)).not.toMatchObject({ width: 720, height: 960 });
    // The shared page's poster is the same frame.
    const shared = await bytesOf(`${app.url}/api/share/${done.shareUrl?.split("/s/")[1]}/frame`);
    expect(sha256(shared.body)).toBe(sha256(poster.body));
  });

  it("makes a lighter rendition (short side 540, index first, smaller)", async () => {
    const done = await finishedWithDerivatives(app, "light");
    const light = await bytesOf(`${app.url}${done.lightVideoUrl}`);
    const boxes = topLevelBoxes(light.body);
    expect(boxes.indexOf("moov")).toBeLessThan(boxes.indexOf("mdat"));
    const file = path.join(scratch, `derived-light-${done.id}.mp4`);
    writeFileSync(file, light.body);
    expect(videoSize(file)).toEqual({ width: 540, height: 720 });
    expect(light.body.length).toBeLessThan(clip.length);
    expect(light.body.length).toBeLessThan(1.2 * 1024 * 1024);
  });

  it("every owner answer about a finished generation carries its derived media, so a player never loses them", async () => {
    const done = await finishedWithDerivatives(app, "owner answers");
    const player = ({ webVideoUrl, lightVideoUrl, videoWidth, videoHeight }: GenerationView) => ({ webVideoUrl, lightVideoUrl, videoWidth, videoHeight });
    const expected = player(await getGeneration(app.url, done.id));
    expect(expected.webVideoUrl).toEqual(expect.any(String));
    const answers: Array<[string, RequestInit]> = [
      [`/api/generations/${done.id}/share`, { method: "POST" }],
      [`/api/generations/${done.id}/share`, { method: "PATCH", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ expiresIn: "7d" }) }],
      [`/api/generations/${done.id}`, { method: "PATCH", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ hidePrompt: true }) }],
      [`/api/generations/${done.id}/share`, { method: "DELETE" }],
    ];
    for (const [url, init] of answers) {
      const response = await fetch(`${app.url}${url}`, init);
      expect(response.status, `${init.method} ${url}`).toBe(200);
      expect(player((await response.json()) as GenerationView), `${init.method} ${url}`).toEqual(expected);
    }
  });

  it("makes a small preview of the same frame, light enough to inline in a page", async () => {
    const done = await finishedWithDerivatives(app, "preview");
    const token = done.shareUrl?.split("/s/")[1] ?? "";
    const preview = await bytesOf(`${app.url}/api/generations/${done.id}/frame?size=small`);
    expect(preview.headers.get("content-type")).toBe("image/webp");
    expect(preview.body.length).toBeLessThanOrEqual(INLINE_POSTER_MAX_BYTES);
    // The light rendition's size: what a phone plays next.
    expect(imageSize(preview.body)).toMatchObject({ type: "webp", width: 540, height: 720 });
    const frame = await bytesOf(`${app.url}/api/generations/${done.id}/frame`);
    expect(await meanDifference(preview.body, frame.body)).toBeLessThan(12);
    // Not the portrait it started from.
    const portrait = await bytesOf(`${app.url}${done.inputUrl}`);
    expect(await meanDifference(preview.body, portrait.body)).toBeGreaterThan(25);
    // The shared address serves the same file; bad sizes are refused.
    expect(sha256((await bytesOf(`${app.url}/api/share/${token}/frame?size=small`)).body)).toBe(sha256(preview.body));
    const refused = await fetch(`${app.url}/api/share/${token}/frame?size=huge`);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: { message: expect.stringContaining('size must be "full" or "small"') } });
  });

  it("the share page carries its poster inside the HTML, sized, with the light rendition for narrow screens", async () => {
    const done = await finishedWithDerivatives(app, "share page");
    const token = done.shareUrl?.split("/s/")[1] ?? "";
    const preview = await bytesOf(`${app.url}/api/share/${token}/frame?size=small`);
    const html = await (await fetch(`${app.url}/s/${token}`)).text();
    // The picture arrives with the page itself: no request for it races the page's scripts on a slow link.
    expect(inlinePoster(html, "shared-video")).toEqual(preview.body);
    expect(html).not.toMatch(new RegExp(`<link rel="preload"[^>]*/api/share/${token}/frame`));
    expect(html).toMatch(/<video[^>]*width="720"[^>]*height="960"/);
    expect(html).toContain(`src="/api/share/${token}/video?rendition=light" type="video/mp4" media="(max-width: 600px)"`);
    expect(html).toContain(`src="/api/share/${token}/video?rendition=web"`);
    // The owner's result page does the same.
    const ownerHtml = await (await fetch(`${app.url}/g/${done.id}`)).text();
    expect(inlinePoster(ownerHtml, "result-video")).toEqual(preview.body);
    // The embed stays tiny: it links the small preview instead.
    const embed = await (await fetch(`${app.url}/s/${token}/embed`)).text();
    expect(embed).toContain(`poster="/api/share/${token}/frame?size=small"`);
  });

  it("before the preview is made, the share page falls back to the frame's address, fetched early", async () => {
    const done = await finishedWithDerivatives(app, "no preview yet");
    const token = done.shareUrl?.split("/s/")[1] ?? "";
    // As if the preview were still being made.
    const db = new Database(path.join(app.dataDir, "portrait-live.sqlite"));
    db.prepare(
      "update media_derivatives set state = 'running', media_key = null, claimed_by = 'elsewhere', lease_until = '9999-01-01' where generation_id = ? and kind = 'preview'",
    ).run(done.id);
    db.close();
    const html = await (await fetch(`${app.url}/s/${token}`)).text();
    expect(html).toContain(`poster="/api/share/${token}/frame?size=small"`);
    expect(html).toMatch(
      new RegExp(
        `<link rel="preload"[^>]*href="/api/share/${token}/frame\\?size=small"[^>]*as="image"|<link rel="preload"[^>]*as="image"[^>]*href="/api/share/${token}/frame\\?size=small"`,
      ),
    );
    // Until it exists, the small address serves the full frame.
    const standIn = await bytesOf(`${app.url}/api/share/${token}/frame?size=small`);
    expect(standIn.headers.get("content-type")).toBe("image/jpeg");
  });
});

describe("loops for chats", () => {
  it("makes one GIF for ten simultaneous requests: one job, one ffmpeg run; animated, ≤ 480 px wide, ≤ 8 MB", async () => {
    const done = await finishedWithDerivatives(app, "gif once");
    const base = `/api/generations/${done.id}/loops`;
    const answers = await Promise.all(Array.from({ length: 10 }, () => loopRequest(app, base, { format: "gif", pingPong: false })));
    for (const answer of answers) expect([200, 202]).toContain(answer.status);
    const loop = await loopReady(app, base, "gif", false);
    const gifJobs = jobs(app, done.id).filter((job) => job.kind === "gif");
    expect(gifJobs).toHaveLength(1);
    expect(gifJobs[0]).toMatchObject({ state: "ready", runs: 1 });
    const made = app
      .output()
      .split("\n")
      .filter((line) => line.includes('"derivative made"') && line.includes(done.id) && line.includes('"kind":"gif"'));
    expect(made).toHaveLength(1);

    expect(loop.url).toBe(`${base}/loop.gif`);
    const gif = await bytesOf(`${app.url}${loop.url}`);
    expect(gif.headers.get("content-type")).toBe("image/gif");
    expect(gif.headers.get("content-disposition")).toMatch(/^attachment; filename=".+\.gif"$/);
    expect(gif.body.subarray(0, 6).toString("latin1")).toBe("GIF89a");
    expect(gifFrameCount(gif.body)).toBeGreaterThan(1);
    const size = imageSize(gif.body);
    expect(size.width).toBeLessThanOrEqual(480);
    expect(gif.body.length).toBeLessThanOrEqual(8 * 1024 * 1024);
    // Asking again once it exists answers at once, still without a second run.
    const again = await loopRequest(app, base, { format: "gif" });
    expect(again.status).toBe(200);
    expect(jobs(app, done.id).find((job) => job.kind === "gif")?.runs).toBe(1);
  });

  it(
    "makes an animated WebP, and a ping-pong loop twice as long; visitors of the share link get them while the owner allows",
    { timeout: 180_000 },
    async () => {
      const done = await finishedWithDerivatives(app, "webp");
      const token = done.shareUrl?.split("/s/")[1] ?? "";
      const shared = `/api/share/${token}/loops`;
      expect((await loopRequest(app, shared, { format: "webp", pingPong: false })).status).toBe(202);
      const webp = await loopReady(app, shared, "webp", false);
      expect(webp.url).toBe(`${shared}/loop.webp`);
      const file = await bytesOf(`${app.url}${webp.url}`);
      expect(file.headers.get("content-type")).toBe("image/webp");
      const chunks = webpChunks(file.body);
      expect(chunks[0]).toBe("VP8X");
      expect(chunks).toContain("ANIM");
      expect(chunks.filter((chunk) => chunk === "ANMF").length).toBeGreaterThan(1);
      expect(imageSize(file.body).width).toBeLessThanOrEqual(480);

      const base = `/api/generations/${done.id}/loops`;
      await loopRequest(app, base, { format: "gif", pingPong: false });
      await loopRequest(app, base, { format: "gif", pingPong: true });
      const forward = await bytesOf(`${app.url}${(await loopReady(app, base, "gif", false)).url}`);
      const pingPong = await bytesOf(`${app.url}${(await loopReady(app, base, "gif", true)).url}`);
      expect(gifFrameCount(pingPong.body)).toBe(2 * gifFrameCount(forward.body));

      // The owner turns loops off for the share link: visitors get nothing, the owner still does.
      const off = await fetch(`${app.url}${base}`, {
        method: "PATCH",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ shareLoops: false }),
      });
      expect(loopListSchema.parse(await off.json()).shareLoops).toBe(false);
      expect((await fetch(`${app.url}${webp.url}`)).status).toBe(403);
      expect((await fetch(`${app.url}${shared}`, { method: "POST", headers: { "Content-Type": "application/json" }, body: '{"format":"gif"}' })).status).toBe(
        403,
      );
      expect(await (await fetch(`${app.url}/s/${token}`)).text()).not.toContain('data-testid="loop-downloads"');
      expect((await fetch(`${app.url}${base}/loop.webp`)).status).toBe(200);
    },
  );

  it("refuses bad loop requests with specific errors and makes nothing", async () => {
    const done = await finishedWithDerivatives(app, "bad loops");
    const base = `/api/generations/${done.id}/loops`;
    for (const body of [{ format: "png" }, { format: "gif", pingPong: "yes" }, { format: "gif", extra: 1 }, {}]) {
      const response = await fetch(`${app.url}${base}`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
      expect(response.status).toBe(400);
    }
    expect((await fetch(`${app.url}${base}/loop.png`)).status).toBe(400);
    expect((await fetch(`${app.url}${base}/loop.gif`)).status).toBe(404);
    expect(jobs(app, done.id).filter((job) => job.kind === "gif" || job.kind === "webp")).toEqual([]);
  });

  it("a restart in the middle of making a loop finishes it", { timeout: 180_000 }, async () => {
    const port = await freePort();
    const own = await startApp({ port, env: env() });
    let restarted: AppServer | undefined;
    try {
      const done = await finishedWithDerivatives(own, "restart");
      const base = `/api/generations/${done.id}/loops`;
      expect((await loopRequest(own, base, { format: "webp", pingPong: true })).status).toBe(202);
      await waitFor(async () => jobs(own, done.id).find((job) => job.kind === "webp" && job.state === "running"), 60_000);
      await own.stop();
      expect(jobs(own, done.id).find((job) => job.kind === "webp")).toMatchObject({ state: "running", runs: 1 });
      restarted = await startApp({ port, dataDir: own.dataDir, env: env() });
      const loop = await loopReady(restarted, base, "webp", true);
      expect(jobs(restarted, done.id).find((job) => job.kind === "webp")).toMatchObject({ state: "ready", runs: 2 });
      const file = await bytesOf(`${restarted.url}${loop.url}`);
      expect(webpChunks(file.body)).toContain("ANMF");
    } finally {
      await restarted?.stop();
      await own.stop();
    }
  });

  it("results stored before derived media existed get them on first request", { timeout: 180_000 }, async () => {
    const done = await finishedWithDerivatives(app, "older result");
    // As a result stored before this feature: no jobs, no derived files.
    const db = new Database(path.join(app.dataDir, "portrait-live.sqlite"));
    db.prepare("delete from media_derivatives where generation_id = ?").run(done.id);
    db.close();
    const before = await getGeneration(app.url, done.id);
    expect(before.webVideoUrl ?? null).toBeNull();
    // Any use of the video queues them.
    expect((await fetch(`${app.url}${done.videoUrl}`, { headers: { Range: "bytes=0-1" } })).status).toBe(206);
    await waitFor(async () => (await getGeneration(app.url, done.id)).webVideoUrl, 60_000);
    expect(
      jobs(app, done.id)
        .map((job) => job.kind)
        .sort(),
    ).toEqual(["frame", "light", "preview", "web"]);
  });
});
