import { beforeAll, describe, expect, it } from "vitest";
import { generationListSchema, generationViewSchema, type GenerationView } from "@/lib/contracts/generation";
import { oembedVideoSchema } from "@/lib/contracts/oembed";
import { getGeneration, waitFor, waitForFinal } from "../support/api";
import type { AppServer } from "../support/app-server";
import { setUpLiveApp } from "../support/live-app";
import { makePortrait, toDataUrl } from "../support/portraits";
import { createTakes, getTakes } from "../support/takes-api";

/**
 * One generation, five ways to see it: its own route, a history item, a take set's member,
 * the event stream's first event and the share card. Each is built for a different page, so
 * a field added to (or dropped from) one builder shows up here as a disagreement.
 */

const API_KEY = "vtx-view-contract-secret-5e1b";
const publicBase = "https://clips.example.test";
const live = setUpLiveApp({
  apiKey: API_KEY,
  timeline: { pendingMs: 100, processingMs: 300 },
  app: { env: { POLL_INTERVAL_MS: "100", PUBLIC_BASE_URL: publicBase } },
});
let app: AppServer;

beforeAll(() => {
  app = live.app;
});

/** The first `data:` event of a generation's stream (a finished one sends one and ends). */
async function firstStreamEvent(id: string): Promise<GenerationView> {
  const response = await fetch(`${app.url}/api/generations/${id}/events`);
  expect(response.headers.get("content-type")).toBe("text/event-stream");
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  try {
    while (!text.includes("\n\n")) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  const line = text.split("\n").find((candidate) => candidate.startsWith("data: "));
  if (!line) throw new Error(`no data event in ${JSON.stringify(text)}`);
  return generationViewSchema.parse(JSON.parse(line.slice("data: ".length)));
}

/** `<meta property|name="…" content="…">` values of a page, first of each. */
function metaTags(html: string): Map<string, string> {
  const tags = new Map<string, string>();
  for (const match of html.matchAll(/<meta (?:property|name)="([^"]+)" content="([^"]*)"/g)) {
    const [, key, value] = match;
    if (key && value !== undefined && !tags.has(key)) tags.set(key, value.replace(/&amp;/g, "&"));
  }
  return tags;
}

/** How two views of one generation differ: fields only one carries, and shared fields whose values differ. */
function disagreements(a: GenerationView, b: GenerationView): string[] {
  const only = (x: object, y: object) => Object.keys(x).filter((key) => !(key in y));
  const shared = Object.keys(a).filter((key) => key in b) as (keyof GenerationView)[];
  return [
    ...only(a, b).map((key) => `${key}: missing`),
    ...only(b, a).map((key) => `${key}: extra`),
    ...shared.filter((key) => JSON.stringify(a[key]) !== JSON.stringify(b[key])).map((key) => `${key}: ${JSON.stringify(a[key])} ≠ ${JSON.stringify(b[key])}`),
  ];
}

describe("a generation's view", () => {
  it("is the same from its route, history, its take set, its event stream and its share card", async () => {
    const image = toDataUrl(await makePortrait({ width: 600, height: 800 }));
    const set = await createTakes(app.url, { image, takes: [{ prompt: "she smiles" }, { prompt: "he nods" }] });
    const ids = set.generations.map((generation) => generation.id);
    for (const id of ids) expect((await waitForFinal(app.url, id)).status).toBe("succeeded");
    const [id, other] = ids as [string, string];
    // A favourite, so the set's fields differ between the two takes.
    const favourite = await fetch(`${app.url}/api/takes/${set.id}`, {
      method: "PUT",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ favouriteId: id }),
    });
    expect(favourite.status).toBe(200);
    // Frame, remux and light rendition made for both, so every derived field has a value.
    for (const take of ids) {
      await waitFor(async () => {
        const view = await getGeneration(app.url, take);
        return view.videoWidth && view.webVideoUrl && view.lightVideoUrl;
      }, 90_000);
    }

    const single = await getGeneration(app.url, id);
    const history = generationListSchema.parse(await (await fetch(`${app.url}/api/generations?limit=100`)).json()).items;
    const members = (await getTakes(app.url, set.id)).generations;
    const streamed = await firstStreamEvent(id);
    const seen: Record<string, GenerationView | undefined> = {
      history: history.find((item) => item.id === id),
      "take set member": members.find((member) => member.id === id),
      "event stream": streamed,
    };

    expect(single).toMatchObject({ takeSetId: set.id, favourite: true, videoWidth: 720, videoHeight: 960 });
    expect(single.webVideoUrl).toEqual(expect.any(String));
    expect(single.lightVideoUrl).toEqual(expect.any(String));
    expect(single.shareUrl).toMatch(new RegExp(`^${publicBase}/s/`));
    // The same fields (none missing on one side) with the same values, from every path at once.
    const differences = Object.entries(seen).flatMap(([where, view]) =>
      view ? disagreements(single, view).map((difference) => `${where}: ${difference}`) : [`${where}: not found`],
    );
    expect(differences).toEqual([]);
    // The other take: the same in history and in its set (not the favourite in either).
    const otherInHistory = history.find((item) => item.id === other)!;
    const otherInSet = members.find((member) => member.id === other)!;
    expect(otherInSet).toMatchObject({ takeSetId: set.id, favourite: false, videoWidth: 720 });
    expect(disagreements(otherInHistory, otherInSet)).toEqual([]);

    // The share card: the owner's addresses as the share link serves them, and the same size.
    const token = single.shareUrl!.split("/s/")[1]!;
    const shared = (ownerPath: string) => ownerPath.replace(`/api/generations/${id}/`, `/api/share/${token}/`);
    const page = await fetch(`${app.url}/s/${token}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    const meta = metaTags(html);
    expect(meta.get("og:url")).toBe(single.shareUrl);
    expect(meta.get("og:video")).toBe(`${publicBase}${shared(single.webVideoUrl!)}`);
    expect(meta.get("og:image")).toBe(`${publicBase}${shared(`/api/generations/${id}/frame`)}`);
    expect([meta.get("og:video:width"), meta.get("og:video:height")]).toEqual([String(single.videoWidth), String(single.videoHeight)]);
    // The share page's player plays the same renditions the owner's does.
    const sources = [...html.matchAll(/<source src="([^"]+)"/g)].map((match) => match[1]!.replace(/&amp;/g, "&"));
    expect(sources).toEqual([shared(single.lightVideoUrl!), shared(single.webVideoUrl!)]);

    const oembed = oembedVideoSchema.parse(
      await (await fetch(`${app.url}/api/oembed?${new URLSearchParams({ url: single.shareUrl!, format: "json" }).toString()}`)).json(),
    );
    expect(oembed).toMatchObject({
      width: single.videoWidth,
      height: single.videoHeight,
      thumbnail_url: meta.get("og:image"),
      thumbnail_width: single.videoWidth,
      thumbnail_height: single.videoHeight,
    });
  });
});
