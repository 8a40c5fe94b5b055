import { beforeAll, describe, expect, it } from "vitest";
import { generationViewSchema, totalsSchema } from "@/lib/contracts/generation";
import type { FakeUpstream } from "../fake-upstream/fake-upstream";
import { createGeneration, waitForFinal } from "../support/api";
import type { AppServer } from "../support/app-server";
import { setUpLiveApp } from "../support/live-app";
import { makePortrait, toDataUrl } from "../support/portraits";
import { rawRequest } from "../support/raw-http";

const API_KEY = "vtx-sharing-secret-0a4d";
// The public origin differs from the address we test on, as behind a reverse proxy.
const publicBase = "https://clips.example.test";
const live = setUpLiveApp({
  apiKey: API_KEY,
  timeline: { pendingMs: 100, processingMs: 300 },
  app: { env: { POLL_INTERVAL_MS: "100", PUBLIC_BASE_URL: publicBase } },
});
let upstream: FakeUpstream;
let app: AppServer;
let image: string;

beforeAll(async () => {
  ({ upstream, app } = live);
  image = toDataUrl(await makePortrait({ width: 600, height: 800 }));
});

const finished = async (prompt = "she smiles") => waitForFinal(app.url, (await createGeneration(app.url, { image, prompt })).id);
const send = async (method: string, path: string, body?: unknown) =>
  fetch(`${app.url}${path}`, {
    method,
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const tokenOf = (shareUrl: string | null) => shareUrl?.split("/s/")[1] ?? "";

describe("share links", () => {
  it("are absolute from PUBLIC_BASE_URL and unguessable", async () => {
    const done = await finished();
    expect(done.shareUrl).toMatch(new RegExp(`^${publicBase}/s/[A-Za-z0-9_-]{24}$`));
    expect(tokenOf(done.shareUrl)).not.toContain(done.id);
  });

  it("show a crawler the preview tags with absolute URLs", async () => {
    const done = await finished("she blinks and smiles softly");
    const token = tokenOf(done.shareUrl);
    const page = await fetch(`${app.url}/s/${token}`, { headers: { "User-Agent": "facebookexternalhit/1.1" } });
    expect(page.status).toBe(200);
    const html = await page.text();
    const meta = (property: string) => new RegExp(`<meta (?:property|name)="${property.replace(/[:]/g, "\\:")}" content="([^"]*)"`).exec(html)?.[1];
    expect(meta("og:type")).toBe("video.other");
    expect(meta("og:title")).toBeTruthy();
    expect(meta("og:description")).toBe("she blinks and smiles softly");
    expect(meta("og:url")).toBe(`${publicBase}/s/${token}`);
    expect(meta("og:image")).toBe(`${publicBase}/api/share/${token}/frame`);
    expect(meta("og:video")).toBe(`${publicBase}/api/share/${token}/video?rendition=web`);
    expect(meta("og:video:type")).toBe("video/mp4");
    expect(meta("og:video:width")).toBe("720");
    expect(meta("og:video:height")).toBe("960");
    expect(meta("twitter:card")).toBe("player");
    expect(meta("twitter:image")).toBe(`${publicBase}/api/share/${token}/frame`);
  });

  it("serve the video and poster publicly from our storage", async () => {
    const done = await finished();
    const token = tokenOf(done.shareUrl);
    const video = await fetch(`${app.url}/api/share/${token}/video`, { headers: { Range: "bytes=0-11" } });
    expect(video.status).toBe(206);
    expect(
      Buffer.from(await video.arrayBuffer())
        .subarray(4, 8)
        .toString("latin1"),
    ).toBe("ftyp");
    expect(video.headers.get("etag")).toBeTruthy();
    expect((await fetch(`${app.url}/api/share/${token}/input`)).headers.get("content-type")).toBe("image/jpeg");
  });

  it("redirect the portrait's old `poster` addresses to `input`, query kept, for one release", async () => {
    const done = await finished();
    const token = tokenOf(done.shareUrl);
    for (const base of [`/api/generations/${done.id}`, `/api/share/${token}`]) {
      const moved = await fetch(`${app.url}${base}/poster?v=2`, { redirect: "manual" });
      expect(moved.status).toBe(308);
      expect(moved.headers.get("location")).toBe(`${base}/input?v=2`);
    }
    const followed = await fetch(`${app.url}/api/share/${token}/poster`);
    expect(followed.status).toBe(200);
    expect(followed.headers.get("content-type")).toBe("image/jpeg");
  });

  it("die at once when revoked, answer like unknown ones, and a new link works", async () => {
    const done = await finished();
    const oldToken = tokenOf(done.shareUrl);
    const revoked = generationViewSchema.parse(await (await send("DELETE", `/api/generations/${done.id}/share`)).json());
    expect(revoked.shareUrl).toBeNull();
    const unknownToken = "Z".repeat(24);
    for (const token of [oldToken, unknownToken]) {
      const page = await fetch(`${app.url}/s/${token}`);
      expect(page.status).toBe(404);
      expect((await fetch(`${app.url}/api/share/${token}/video`)).status).toBe(404);
      expect((await fetch(`${app.url}/api/share/${token}/input`)).status).toBe(404);
    }
    const revokedBody = await (await fetch(`${app.url}/api/share/${oldToken}/video`)).text();
    const unknownBody = await (await fetch(`${app.url}/api/share/${unknownToken}/video`)).text();
    expect(revokedBody).toBe(unknownBody);

    const renewed = generationViewSchema.parse(await (await send("POST", `/api/generations/${done.id}/share`)).json());
    const newToken = tokenOf(renewed.shareUrl);
    expect(newToken).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(newToken).not.toBe(oldToken);
    expect((await fetch(`${app.url}/s/${newToken}`)).status).toBe(200);
    expect((await fetch(`${app.url}/s/${oldToken}`)).status).toBe(404);
  });

  it("a new link with an empty JSON body gets the defaults, as with no body at all", async () => {
    const done = await finished();
    const url = `${app.url}/api/generations/${done.id}/share`;
    const json = { "Content-Type": "application/json" };
    // fetch with the header and no body; curl -X POST -H '…json' (no length, chunked here); an explicit zero length.
    const answers = [
      await fetch(url, { method: "POST", headers: json }),
      await rawRequest(url, { method: "POST", headers: json }),
      await rawRequest(url, { method: "POST", headers: json, body: "" }),
    ];
    const tokens = new Set([tokenOf(done.shareUrl)]);
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      const view = generationViewSchema.parse(await answer.json());
      expect(view.shareExpiresAt).toBeNull();
      tokens.add(tokenOf(view.shareUrl));
    }
    // Each was a new link.
    expect(tokens.size).toBe(4);
  });

  it("an empty body is still refused where the body is required; where it is optional, a body that is there must be JSON and small", async () => {
    const done = await finished();
    const json = { "Content-Type": "application/json" };
    for (const path of [`/api/generations/${done.id}/share`, `/api/generations/${done.id}`]) {
      const refused = await fetch(`${app.url}${path}`, { method: "PATCH", headers: json });
      expect(refused.status, path).toBe(400);
      expect(((await refused.json()) as { error: { message: string } }).error.message).toBe("The request body is empty.");
    }
    const notJson = await fetch(`${app.url}/api/generations/${done.id}/share`, { method: "POST", headers: { "Content-Type": "text/plain" }, body: "7d" });
    expect(notJson.status).toBe(415);
    const tooLarge = await fetch(`${app.url}/api/generations/${done.id}/share`, {
      method: "POST",
      headers: json,
      body: JSON.stringify({ expiresIn: "x".repeat(2048) }),
    });
    expect(tooLarge.status).toBe(413);
    expect(((await tooLarge.json()) as { error: { message: string } }).error.message).toBe("The request body is larger than 1 KB.");
    const after = generationViewSchema.parse(await (await fetch(`${app.url}/api/generations/${done.id}`)).json());
    expect(after.shareUrl).toBe(done.shareUrl);
  });

  it("can hide the prompt from the public page", async () => {
    const done = await finished("a secret prompt about a birthday");
    const token = tokenOf(done.shareUrl);
    expect(await (await fetch(`${app.url}/s/${token}`)).text()).toContain("a secret prompt about a birthday");
    const hidden = generationViewSchema.parse(await (await send("PATCH", `/api/generations/${done.id}`, { hidePrompt: true })).json());
    expect(hidden.hidePrompt).toBe(true);
    expect(await (await fetch(`${app.url}/s/${token}`)).text()).not.toContain("a secret prompt about a birthday");
    const bad = await send("PATCH", `/api/generations/${done.id}`, { hidePrompt: "yes" });
    expect(bad.status).toBe(400);
  });

  it("a deleted generation's share link and media 404", async () => {
    const done = await finished();
    const token = tokenOf(done.shareUrl);
    expect((await send("DELETE", `/api/generations/${done.id}`)).status).toBe(204);
    expect((await fetch(`${app.url}/s/${token}`)).status).toBe(404);
    expect((await fetch(`${app.url}/api/share/${token}/video`)).status).toBe(404);
  });
});

describe("history actions", () => {
  it("re-run makes exactly one new task with the same crop and options", async () => {
    const source = await waitForFinal(app.url, (await createGeneration(app.url, { image, prompt: "rerun me", promptOptimizer: false, watermark: true })).id);
    const before = upstream.stats().creates.accepted;
    const headers = { "Idempotency-Key": `rerun-${source.id}` };
    const [first, second] = await Promise.all([
      fetch(`${app.url}/api/generations/${source.id}/rerun`, { method: "POST", headers }),
      fetch(`${app.url}/api/generations/${source.id}/rerun`, { method: "POST", headers }),
    ]);
    const a = generationViewSchema.parse(await first?.json());
    const b = generationViewSchema.parse(await second?.json());
    expect(a.id).toBe(b.id);
    expect(a.id).not.toBe(source.id);
    expect(a.options).toEqual(source.options);
    expect(a.prompt).toBe("rerun me");
    await waitForFinal(app.url, a.id);
    expect(upstream.stats().creates.accepted - before).toBe(1);
    const sourcePoster = Buffer.from(await (await fetch(`${app.url}${source.inputUrl}`)).arrayBuffer());
    const rerunPoster = Buffer.from(await (await fetch(`${app.url}${a.inputUrl}`)).arrayBuffer());
    expect(rerunPoster.equals(sourcePoster)).toBe(true);
  });

  it("totals count generations and add up the provider's costs exactly", async () => {
    const now = new Date();
    const query = new URLSearchParams({
      dayStart: new Date(now.getFullYear(), now.getMonth(), now.getDate()).toISOString(),
      monthStart: new Date(now.getFullYear(), now.getMonth(), 1).toISOString(),
    });
    const read = async () => totalsSchema.parse(await (await fetch(`${app.url}/api/generations/totals?${query}`)).json());
    const before = await read();
    await finished("for totals one");
    await finished("for totals two");
    const after = await read();
    expect(after.allTime.count - before.allTime.count).toBe(2);
    expect(after.today.count - before.today.count).toBe(2);
    expect((Number(after.allTime.costUsd) - Number(before.allTime.costUsd)).toFixed(2)).toBe("0.56");
    expect(after.allTime.costUsd).toMatch(/^\d+\.\d{2}$/);

    const bad = await fetch(`${app.url}/api/generations/totals?dayStart=yesterday&monthStart=x`);
    expect(bad.status).toBe(400);
  });
});
