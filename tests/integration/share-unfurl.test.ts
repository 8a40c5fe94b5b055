import path from "node:path";
import SqliteDatabase from "better-sqlite3";
import { imageSize } from "image-size";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generationViewSchema, type GenerationView } from "@/lib/contracts/generation";
import { oembedVideoSchema } from "@/lib/contracts/oembed";
import { startFakeUpstream, type FakeUpstream } from "../fake-upstream/fake-upstream";
import { expireShareLink } from "../support/expire-share-link";
import { createGeneration, getGeneration, waitFor, waitForFinal } from "../support/api";
import { expectServerErrors, startApp, type AppServer } from "../support/app-server";
import { makePortrait, toDataUrl } from "../support/portraits";

/**
 * What link unfurlers (Open Graph, X cards) and oEmbed consumers read from a share link,
 * checked against those formats' rules on the real built server.
 */
const API_KEY = "vtx-unfurl-secret-5c1e";
const PUBLIC_BASE = "https://clips.example.test";
// The fake provider's video is 720×960 whatever the portrait: the tags must follow the file.
const VIDEO = { width: 720, height: 960 };

let upstream: FakeUpstream;
let app: AppServer;
let demo: AppServer;

beforeAll(async () => {
  upstream = await startFakeUpstream({ apiKey: API_KEY, timeline: { pendingMs: 100, processingMs: 300 } });
  app = await startApp({
    env: { VTRIX_API_KEY: API_KEY, VTRIX_BASE_URL: upstream.url, ALLOW_INSECURE_RESULT_URLS: "1", POLL_INTERVAL_MS: "100", PUBLIC_BASE_URL: PUBLIC_BASE },
  });
  // No PUBLIC_BASE_URL: demo mode, reached by its loopback address.
  demo = await startApp({ env: { DEMO_DURATION_MS: "300" } });
});

afterAll(async () => {
  await app?.stop();
  await demo?.stop();
  await upstream?.close();
});

async function shared(
  server: AppServer,
  portrait: { width: number; height: number },
  prompt = 'she smiles & turns "slowly"',
): Promise<{ view: GenerationView; token: string }> {
  const image = toDataUrl(await makePortrait(portrait));
  const view = await waitForFinal(server.url, (await createGeneration(server.url, { image, prompt })).id);
  expect(view.status).toBe("succeeded");
  return { view, token: view.shareUrl?.split("/s/")[1] ?? "" };
}

const decode = (value: string) =>
  value.replace(/&(amp|quot|lt|gt|#x27|#39);/g, (_, name: string) => ({ amp: "&", quot: '"', lt: "<", gt: ">", "#x27": "'", "#39": "'" })[name] ?? "");

const attributes = (tag: string) =>
  Object.fromEntries([...tag.matchAll(/([a-zA-Z:-]+)="([^"]*)"/g)].map((match) => [match[1]?.toLowerCase() ?? "", decode(match[2] ?? "")]));

/** The document head's <meta property|name content> tags in order, and its <link> tags. */
function headOf(html: string) {
  const head = html.slice(0, html.indexOf("</head>"));
  const metas = [...head.matchAll(/<meta\b[^>]*>/g)]
    .map((match) => attributes(match[0]))
    .filter((meta) => (meta.property ?? meta.name) && meta.content !== undefined)
    .map((meta) => [meta.property ?? meta.name ?? "", meta.content ?? ""] as const);
  const links = [...head.matchAll(/<link\b[^>]*>/g)].map((match) => attributes(match[0]));
  const one = (key: string) => {
    const found = metas.filter(([name]) => name === key);
    expect(found, `exactly one ${key}`).toHaveLength(1);
    return found[0]?.[1] ?? "";
  };
  return { metas, links, one, has: (key: string) => metas.some(([name]) => name === key) };
}

/** Our public URLs name PUBLIC_BASE_URL; the test reaches the same server on loopback. */
const onLoopback = (server: AppServer, url: string) => url.replace(PUBLIC_BASE, server.url);

const videoTag = (html: string, marker = "") =>
  attributes([...html.matchAll(/<video\b[^>]*>/g)].map((match) => match[0]).find((tag) => tag.includes(marker)) ?? "");
const size = (width: unknown, height: unknown) => `${String(width ?? "?")}x${String(height ?? "?")}`;

/** The size each surface announces for one shared generation, as "WxH" ("?" where it gives none). */
async function announcedSizes(server: AppServer, id: string, token: string) {
  const page = await (await fetch(`${server.url}/s/${token}`)).text();
  const { one } = headOf(page);
  const sharePlayer = videoTag(page);
  const oembed = oembedVideoSchema.parse(await (await fetch(`${server.url}/api/oembed?url=${encodeURIComponent(`${PUBLIC_BASE}/s/${token}`)}`)).json());
  const iframe = attributes(/<iframe\b[^>]*>/.exec(oembed.html)?.[0] ?? "");
  const embed = videoTag(await (await fetch(`${server.url}/s/${token}/embed`)).text());
  const owner = await getGeneration(server.url, id);
  const ownerPlayer = videoTag(await (await fetch(`${server.url}/g/${id}`)).text(), 'data-testid="result-video"');
  return {
    "og:video": size(one("og:video:width"), one("og:video:height")),
    "og:image": size(one("og:image:width"), one("og:image:height")),
    "twitter:player": size(one("twitter:player:width"), one("twitter:player:height")),
    "share page player": size(sharePlayer.width, sharePlayer.height),
    oEmbed: size(oembed.width, oembed.height),
    "oEmbed iframe": size(iframe.width, iframe.height),
    embed: size(embed.width, embed.height),
    "owner's view": size(owner.videoWidth, owner.videoHeight),
    "owner's player": size(ownerPlayer.width, ownerPlayer.height),
  };
}

const everywhere = (shared: string, owner: string) => ({
  "og:video": shared,
  "og:image": shared,
  "twitter:player": shared,
  "share page player": shared,
  oEmbed: shared,
  "oEmbed iframe": shared,
  embed: shared,
  "owner's view": owner,
  "owner's player": owner,
});

/** As a result stored before derived media existed: no jobs, so nothing measured. */
const deleteDerivedMedia = (server: AppServer, id: string) => {
  const db = new SqliteDatabase(path.join(server.dataDir, "portrait-live.sqlite"));
  try {
    db.pragma("busy_timeout = 5000");
    db.prepare("delete from media_derivatives where generation_id = ?").run(id);
  } finally {
    db.close();
  }
};

const expireInDatabase = (server: AppServer, token: string) => expireShareLink(path.join(server.dataDir, "portrait-live.sqlite"), token);

const publicRoutes = (token: string) => [
  `/s/${token}`,
  `/s/${token}/embed`,
  `/api/oembed?url=${encodeURIComponent(`${PUBLIC_BASE}/s/${token}`)}&format=json`,
  `/api/share/${token}/video`,
  `/api/share/${token}/input`,
  `/api/share/${token}/frame`,
  `/api/share/${token}/loops`,
];

describe("a share page's preview tags", () => {
  it("follow Open Graph, the X player card and oEmbed discovery, with absolute https URLs at the video's real size", async () => {
    const { token } = await shared(app, VIDEO);
    const page = await fetch(`${app.url}/s/${token}`);
    expect(page.status).toBe(200);
    const { metas, links, one, has } = headOf(await page.text());
    const pageUrl = `${PUBLIC_BASE}/s/${token}`;
    // The remux with its index first, and a frame of the video (each the original / the portrait until made).
    const videoUrl = `${PUBLIC_BASE}/api/share/${token}/video?rendition=web`;
    const frameUrl = `${PUBLIC_BASE}/api/share/${token}/frame`;
    const embedUrl = `${PUBLIC_BASE}/s/${token}/embed`;

    // Open Graph: a video object, its structured properties in one run after og:video.
    expect(one("og:type")).toBe("video.other");
    expect(one("og:url")).toBe(pageUrl);
    expect(one("og:title")).toBe("A portrait, brought to life");
    expect(one("og:description")).toBe('she smiles & turns "slowly"');
    expect(one("og:site_name")).toBe("Portrait Live");
    expect(one("og:video")).toBe(videoUrl);
    expect(one("og:video:url")).toBe(videoUrl);
    const videoAt = metas.findIndex(([name]) => name === "og:video");
    expect(metas.slice(videoAt, videoAt + 6)).toEqual([
      ["og:video", videoUrl],
      ["og:video:url", videoUrl],
      ["og:video:secure_url", videoUrl],
      ["og:video:type", "video/mp4"],
      ["og:video:width", String(VIDEO.width)],
      ["og:video:height", String(VIDEO.height)],
    ]);
    expect(one("og:image")).toBe(frameUrl);
    expect(one("og:image:secure_url")).toBe(frameUrl);
    expect(one("og:image:type")).toBe("image/jpeg");
    expect(one("og:image:width")).toBe(String(VIDEO.width));
    expect(one("og:image:height")).toBe(String(VIDEO.height));
    expect(one("og:image:alt")).toContain("she smiles");

    // X: a player card whose player is the embeddable page, with a direct MP4 stream.
    expect(one("twitter:card")).toBe("player");
    expect(one("twitter:title")).toBe("A portrait, brought to life");
    expect(one("twitter:player")).toBe(embedUrl);
    expect(one("twitter:player:width")).toBe(String(VIDEO.width));
    expect(one("twitter:player:height")).toBe(String(VIDEO.height));
    expect(one("twitter:player:stream")).toBe(videoUrl);
    expect(one("twitter:player:stream:content_type")).toBe("video/mp4");
    expect(one("twitter:image")).toBe(frameUrl);

    // oEmbed discovery.
    const discovery = links.filter((link) => link.rel === "alternate" && link.type === "application/json+oembed");
    expect(discovery).toHaveLength(1);
    const oembedHref = new URL(discovery[0]?.href ?? "");
    expect(oembedHref.origin + oembedHref.pathname).toBe(`${PUBLIC_BASE}/api/oembed`);
    expect(oembedHref.searchParams.get("url")).toBe(pageUrl);
    expect(oembedHref.searchParams.get("format")).toBe("json");
    expect(discovery[0]?.title).toBeTruthy();

    // Every URL in a preview tag is absolute, on the public https origin.
    const urls = metas.filter(([, content]) => /^[a-z]+:\/\//i.test(content) || content.startsWith("/")).map(([, content]) => content);
    // og:url, og:video (+ :url, :secure_url), og:image (+ :secure_url), twitter:player, :stream, twitter:image.
    expect(urls.length).toBe(9);
    for (const url of [...urls, discovery[0]?.href ?? ""]) expect(url.startsWith(`${PUBLIC_BASE}/`), url).toBe(true);
    expect(has("og:video:secure_url")).toBe(true);

    // The image a preview shows is a real image of the size the tags announce.
    const poster = await fetch(onLoopback(app, one("og:image")));
    expect(poster.status).toBe(200);
    expect(poster.headers.get("content-type")).toMatch(/^image\//);
    const posterSize = imageSize(new Uint8Array(await poster.arrayBuffer()));
    expect({ width: posterSize.width, height: posterSize.height }).toEqual(VIDEO);

    // The stream is the MP4 itself.
    const stream = await fetch(onLoopback(app, one("twitter:player:stream")), { headers: { Range: "bytes=0-11" } });
    expect(stream.status).toBe(206);
    expect(stream.headers.get("content-type")).toBe("video/mp4");
    await stream.arrayBuffer();

    // The player answers and may be framed by any site.
    const player = await fetch(onLoopback(app, one("twitter:player")));
    expect(player.status).toBe(200);
    expect(player.headers.get("content-security-policy")).toContain("frame-ancestors *");
    expect(player.headers.get("x-frame-options")).toBeNull();
    await player.text();
  });

  it(
    "announce one size everywhere: the size asked for until the video is measured, then the provider's real size in the tags, oEmbed, embed and both players",
    { timeout: 180_000 },
    async () => {
      // A 2:3 portrait asks for 720×1080; the provider's file is 720×960.
      const { view, token } = await shared(app, { width: 800, height: 1200 });
      await waitFor(async () => {
        const current = await getGeneration(app.url, view.id);
        return current.videoWidth && current.webVideoUrl && current.lightVideoUrl ? current : undefined;
      }, 90_000);
      expect(await announcedSizes(app, view.id, token)).toEqual(everywhere("720x960", "720x960"));

      // Before the video is measured (here: as a result stored before derived media existed), no
      // surface reads the file itself: the shared ones announce the size asked for, the owner's player none yet.
      deleteDerivedMedia(app, view.id);
      expect(await announcedSizes(app, view.id, token)).toEqual(everywhere("720x1080", "?x?"));

      // Playing the video queues the measuring again; then every surface agrees on the real size.
      const play = await fetch(`${app.url}/api/share/${token}/video`, { headers: { Range: "bytes=0-1" } });
      expect(play.status).toBe(206);
      await play.arrayBuffer();
      await waitFor(async () => (await getGeneration(app.url, view.id)).videoWidth, 90_000);
      expect(await announcedSizes(app, view.id, token)).toEqual(everywhere("720x960", "720x960"));
    },
  );

  it("leave the prompt out when the owner hides it", async () => {
    const { view, token } = await shared(app, VIDEO, "a secret prompt");
    const hidden = await fetch(`${app.url}/api/generations/${view.id}`, {
      method: "PATCH",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ hidePrompt: true }),
    });
    expect(hidden.status).toBe(200);
    const html = await (await fetch(`${app.url}/s/${token}`)).text();
    const { one } = headOf(html);
    expect(one("og:description")).not.toContain("secret");
    expect(one("twitter:description")).not.toContain("secret");
    expect(one("og:image:alt")).not.toContain("secret");
    expect(html).not.toContain("a secret prompt");
  });

  it("without PUBLIC_BASE_URL, use the address the page was asked on: plain http, no secure_url, no player card", async () => {
    const { token } = await shared(demo, { width: 600, height: 800 });
    const { one, has } = headOf(await (await fetch(`${demo.url}/s/${token}`)).text());
    expect(one("og:video")).toBe(`${demo.url}/api/share/${token}/video?rendition=web`);
    expect(has("og:video:secure_url")).toBe(false);
    expect(has("og:image:secure_url")).toBe(false);
    // X takes only https players: over http the card is the large poster.
    expect(one("twitter:card")).toBe("summary_large_image");
    expect(one("twitter:image")).toBe(`${demo.url}/api/share/${token}/frame`);
    expect(has("twitter:player")).toBe(false);
    expect(has("twitter:player:stream")).toBe(false);
    // The demo video is made at the size asked for (3:4 → 720×960).
    expect([one("og:video:width"), one("og:video:height")]).toEqual(["720", "960"]);
    const poster = await fetch(one("og:image"));
    expect(poster.status).toBe(200);
    await poster.arrayBuffer();
  });
});

describe("the embeddable player", () => {
  it("is a small script-free page with only the looping muted video, framable anywhere, setting no cookie", async () => {
    const { token } = await shared(app, VIDEO);
    const response = await fetch(`${app.url}/s/${token}/embed`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    const policy = response.headers.get("content-security-policy") ?? "";
    expect(policy).toContain("frame-ancestors *");
    expect(policy).not.toContain("frame-ancestors 'none'");
    expect(policy).toContain("default-src 'none'");
    expect(response.headers.get("x-frame-options")).toBeNull();
    expect(response.headers.get("set-cookie")).toBeNull();
    const html = await response.text();
    expect(html).not.toMatch(/<script/i);
    const video = /<video\b[^>]*>/.exec(html)?.[0] ?? "";
    for (const flag of ["autoplay", "muted", "loop", "playsinline"]) expect(video).toMatch(new RegExp(`\\s${flag}[\\s>=]`));
    expect(video).toContain(`src="/api/share/${token}/video?rendition=web"`);
    // The small preview frame: the embed stays a few kilobytes in all.
    expect(video).toContain(`poster="/api/share/${token}/frame?size=small"`);
    expect(html).toContain(`href="/s/${token}"`);
    const bytes = Buffer.byteLength(html);
    console.log(`embed page: ${bytes} bytes of HTML, no script`);
    expect(bytes).toBeLessThan(2048);
  });
});

describe("oEmbed", () => {
  const oembed = (server: AppServer, query: Record<string, string>) => fetch(`${server.url}/api/oembed?${new URLSearchParams(query).toString()}`);

  it("describes a live share link as a video with the player's iframe, within maxwidth and maxheight", async () => {
    const { token } = await shared(app, VIDEO);
    const response = await oembed(app, { url: `${PUBLIC_BASE}/s/${token}`, format: "json" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    const answer = oembedVideoSchema.parse(await response.json());
    expect(answer).toMatchObject({ version: "1.0", type: "video", provider_name: "Portrait Live", provider_url: `${PUBLIC_BASE}/`, ...VIDEO });
    expect(answer.title).toBeTruthy();
    expect(answer.thumbnail_url).toBe(`${PUBLIC_BASE}/api/share/${token}/frame`);
    expect([answer.thumbnail_width, answer.thumbnail_height]).toEqual([VIDEO.width, VIDEO.height]);
    expect(answer.html).toMatch(
      new RegExp(
        `^<iframe src="${PUBLIC_BASE}/s/${token}/embed" width="720" height="960" [^>]*frameborder="0" allow="autoplay; fullscreen" allowfullscreen></iframe>$`,
      ),
    );

    const narrow = oembedVideoSchema.parse(await (await oembed(app, { url: `${PUBLIC_BASE}/s/${token}`, maxwidth: "360" })).json());
    expect([narrow.width, narrow.height]).toEqual([360, 480]);
    expect(narrow.html).toContain('width="360" height="480"');
    const short = oembedVideoSchema.parse(await (await oembed(app, { url: `${PUBLIC_BASE}/s/${token}/embed`, maxwidth: "600", maxheight: "400" })).json());
    expect([short.width, short.height]).toEqual([300, 400]);
    // A link on the address the server was reached on is ours too.
    expect((await oembed(app, { url: `${app.url}/s/${token}` })).status).toBe(200);
  });

  it("answers 501 for XML, 404 for anything that is not a live share link, 400 without a url", async () => {
    const { view, token } = await shared(app, VIDEO);
    // oEmbed's own status for a format the provider does not offer.
    expectServerErrors(app, /answered 501 to GET \/api\/oembed\?.*format=xml/);
    expect((await oembed(app, { url: `${PUBLIC_BASE}/s/${token}`, format: "xml" })).status).toBe(501);
    const notOurs = [
      `https://elsewhere.example/s/${token}`,
      `${PUBLIC_BASE}/g/${view.id}`,
      `${PUBLIC_BASE}/`,
      `${PUBLIC_BASE}/s/${"x".repeat(24)}`,
      `${PUBLIC_BASE}/s/not-a-token`,
      "javascript:alert(1)",
    ];
    for (const url of notOurs) {
      const response = await oembed(app, { url });
      expect(response.status, url).toBe(404);
      await response.arrayBuffer();
    }
    expect((await oembed(app, {})).status).toBe(400);
    expect((await oembed(app, { url: `${PUBLIC_BASE}/s/${token}`, maxwidth: "-3" })).status).toBe(400);
  });
});

describe("dead links", () => {
  const everyRouteAnswers = async (token: string) =>
    Promise.all(
      publicRoutes(token).map(async (route) => {
        const response = await fetch(`${app.url}${route}`);
        await response.arrayBuffer();
        return [route, response.status] as const;
      }),
    );
  /** The page and its player answer outsiders with a page of their own; files and oEmbed stay plain 404s. */
  const pages = (token: string) => [`/s/${token}`, `/s/${token}/embed`];

  /** The branded page a dead link gets: the app's name, the one sentence, a way to make one's own, and nothing of the owner. */
  async function expectEndedPage(path: string, status: number) {
    const response = await fetch(`${app.url}${path}`);
    const html = await response.text();
    expect(response.status, path).toBe(status);
    expect(response.headers.get("content-type"), path).toMatch(/^text\/html/);
    expect(response.headers.get("content-security-policy"), path).toMatch(/default-src '(self|none)'/);
    expect(response.headers.get("x-content-type-options"), path).toBe("nosniff");
    expect(html).toMatch(/<html lang="en"/);
    expect(html).toContain("Portrait Live");
    expect(html).toMatch(/<h1[^>]*>This video is no longer shared<\/h1>/);
    expect(html).toMatch(/<a [^>]*href="\/"[^>]*>Make your own<\/a>/);
    expect(html).toContain('name="robots" content="noindex"');
    expect(html).not.toMatch(/she smiles|og:video|<video/i);
    expect(html).not.toMatch(/<script/i);
  }

  it("a revoked link is 404 on every route, with the branded page for people", async () => {
    const { view, token } = await shared(app, VIDEO);
    expect((await everyRouteAnswers(token)).map(([, status]) => status)).toEqual(publicRoutes(token).map(() => 200));
    expect((await fetch(`${app.url}/api/generations/${view.id}/share`, { method: "DELETE" })).status).toBe(200);
    for (const [route, status] of await everyRouteAnswers(token)) expect(status, route).toBe(404);
    // Revoking forgets the token, so a revoked link cannot be told from one never made.
    for (const path of pages(token)) await expectEndedPage(path, 404);
  });

  it("an expired link is 410 Gone for people (page and player) and 404 for its files, and shows as no link to its owner", async () => {
    const { view, token } = await shared(app, VIDEO);
    expect((await everyRouteAnswers(token)).map(([, status]) => status)).toEqual(publicRoutes(token).map(() => 200));
    expireInDatabase(app, token);
    for (const [route, status] of await everyRouteAnswers(token)) expect(status, route).toBe(pages(token).includes(route) ? 410 : 404);
    for (const path of pages(token)) await expectEndedPage(path, 410);
    const owner = generationViewSchema.parse(await (await fetch(`${app.url}/api/generations/${view.id}`)).json());
    expect(owner.shareUrl).toBeNull();
    expect(owner.shareExpiresAt).toBeNull();
  });

  it("an unknown or malformed token is 404 on every route, with the branded page for people", async () => {
    for (const [route, status] of await everyRouteAnswers("Q".repeat(24))) expect(status, route).toBe(404);
    for (const token of ["Q".repeat(24), "not-a-token", "%3Cscript%3E"]) {
      for (const path of pages(token)) await expectEndedPage(path, 404);
    }
  });
});

describe("the owner's expiry setting", () => {
  const send = (method: string, id: string, body?: unknown) =>
    fetch(`${app.url}/api/generations/${id}/share`, {
      method,
      headers: body === undefined ? {} : { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it("sets a new link's lifetime, changes the current link's without replacing it, and refuses other values", async () => {
    const { view } = await shared(app, VIDEO);
    const before = Date.now();
    const week = generationViewSchema.parse(await (await send("POST", view.id, { expiresIn: "7d" })).json());
    const weekMs = Date.parse(week.shareExpiresAt ?? "") - before;
    expect(weekMs).toBeGreaterThan(7 * 86_400_000 - 60_000);
    expect(weekMs).toBeLessThan(7 * 86_400_000 + 60_000);
    expect(week.shareUrl).not.toBe(view.shareUrl);

    const day = generationViewSchema.parse(await (await send("PATCH", view.id, { expiresIn: "1d" })).json());
    expect(day.shareUrl).toBe(week.shareUrl);
    expect(Date.parse(day.shareExpiresAt ?? "") - Date.now()).toBeLessThan(86_400_000 + 60_000);
    const page = await fetch(onLoopback(app, day.shareUrl ?? ""));
    expect(page.status).toBe(200);
    await page.arrayBuffer();

    const never = generationViewSchema.parse(await (await send("PATCH", view.id, { expiresIn: "never" })).json());
    expect(never.shareExpiresAt).toBeNull();
    expect(never.shareUrl).toBe(week.shareUrl);

    const refused = await send("PATCH", view.id, { expiresIn: "2d" });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: { field?: string } }).error.field).toBe("expiresIn");
    expect((await send("POST", view.id, { expiresIn: 7 })).status).toBe(400);
    // The link is untouched by the refusals.
    expect(generationViewSchema.parse(await (await fetch(`${app.url}/api/generations/${view.id}`)).json()).shareUrl).toBe(week.shareUrl);

    expect((await send("DELETE", view.id)).status).toBe(200);
    expect((await send("PATCH", view.id, { expiresIn: "7d" })).status).toBe(409);
  });
});
