import { spawnSync } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { Browser } from "@playwright/test";
import { generationViewSchema, type GenerationView } from "@/lib/contracts/generation";
import { launchChromium, median } from "../chromium";
import type { Figure } from "../report";
import { createGeneration, waitFor, waitForFinal } from "../support/api";
import { freePort, startApp } from "../support/app-server";
import { startFakeProvider } from "../support/fake-provider";
import { heavyClip } from "../support/heavy-clip";
import { emulatePhone } from "../support/phone";
import { drawPortrait, toDataUrl } from "../support/photos";
import { ffmpegBinary } from "../support/test-pattern-clip";

const RUNS = 3;

/**
 * Recorded by the page itself, from navigation start: when a picture is first on screen
 * (the poster's largest-contentful-paint, or the first decoded frame) and when playback runs
 * (currentTime has advanced past 0.1 s).
 */
const RECORDER = `
  window.__bench = { picture: null, playing: null, src: null, pageLoaded: null };
  new PerformanceObserver((list) => {
    // Only the video's own picture counts (its poster, or its first frame), not the page's text.
    for (const entry of list.getEntries()) {
      if (entry.element && entry.element.tagName === "VIDEO" && (window.__bench.picture === null || entry.startTime < window.__bench.picture)) window.__bench.picture = entry.startTime;
    }
  }).observe({ type: "largest-contentful-paint", buffered: true });
  const watch = () => {
    const video = document.querySelector("video");
    if (video) {
      if (window.__bench.picture === null && video.readyState >= 2) window.__bench.picture = performance.now();
      if (window.__bench.playing === null && video.currentTime > 0.1 && !video.paused) {
        window.__bench.playing = performance.now();
        window.__bench.src = video.currentSrc;
        const page = performance.getEntriesByType("navigation")[0];
        window.__bench.pageLoaded = page ? page.responseEnd : null;
      }
    }
    if (window.__bench.playing === null) setTimeout(watch, 10);
  };
  watch();
`;

interface Timing {
  picture: number;
  /** When the page's HTML (with the poster inside) had arrived. */
  pageLoaded: number | null;
  playing: number;
  src: string;
}

async function measureOnce(browser: Browser, url: string): Promise<Timing> {
  const context = await browser.newContext({ viewport: { width: 412, height: 823 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  try {
    await emulatePhone(page);
    await page.addInitScript(RECORDER);
    await page.goto(url, { waitUntil: "commit" });
    await page.waitForFunction(() => (window as unknown as { __bench: { playing: number | null } }).__bench.playing !== null, null, {
      timeout: 60_000,
      polling: 50,
    });
    const result = await page.evaluate(() => (window as unknown as { __bench: Timing }).__bench);
    return result;
  } finally {
    await context.close();
  }
}

/** The baseline page: nothing but the original file in a video element, from its own tiny server. */
async function baselinePage(videoUrl: string): Promise<{ url: string; close(): Promise<void> }> {
  const html = `<!doctype html><meta name="viewport" content="width=device-width"><video src="${videoUrl}" autoplay muted playsinline loop controls style="max-width:100%"></video>`;
  const server: Server = createServer((_request, response) => {
    response.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Content-Length": Buffer.byteLength(html) });
    response.end(html);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** P12: a shared link opened on the phone profile, against the provider's file played directly. */
export async function measureSharePhone(): Promise<Figure[]> {
  const clip = heavyClip();
  const upstream = await startFakeProvider({ apiKey: "bench-share-phone-key", timeline: { pendingMs: 100, processingMs: 300 }, videoFile: clip.file });
  const port = await freePort();
  const app = await startApp({
    port,
    env: { VTRIX_API_KEY: upstream.apiKey, VTRIX_BASE_URL: upstream.url, ALLOW_INSECURE_RESULT_URLS: "1", POLL_INTERVAL_MS: "200", LOG_LEVEL: "warn" },
  });
  const browser = await launchChromium();
  try {
    const created = await createGeneration(app.url, { image: toDataUrl(await drawPortrait()), prompt: "p11 share on a phone" });
    const done = await waitForFinal(app.url, created.id, 60_000);
    if (done.status !== "succeeded" || !done.shareUrl) throw new Error(`the generation did not succeed: ${done.status}`);
    // The derivatives are made once, in the background, right after the result is stored.
    const started = performance.now();
    const ready: GenerationView = await waitFor(async () => {
      const view = generationViewSchema.parse(await (await fetch(`${app.url}/api/generations/${done.id}`)).json());
      return view.webVideoUrl && view.lightVideoUrl && view.videoWidth ? view : undefined;
    }, 180_000);
    const deriveMs = performance.now() - started;
    // The baseline: the same ffmpeg only decoding the clip once, on the same machine, now.
    const decodeStarted = performance.now();
    const decode = spawnSync(ffmpegBinary(), ["-hide_banner", "-loglevel", "error", "-i", clip.file, "-f", "null", "-"]);
    if (decode.status !== 0) throw new Error(`ffmpeg could not decode the clip: ${decode.stderr.toString()}`);
    const decodeMs = performance.now() - decodeStarted;
    const sizeOf = async (url: string) => {
      const response = await fetch(`${app.url}${url}`, { headers: { Range: "bytes=0-0" } });
      await response.body?.cancel();
      return Number(response.headers.get("content-range")?.split("/")[1] ?? 0);
    };
    const lightBytes = await sizeOf(ready.lightVideoUrl ?? "");
    const previewBytes = await sizeOf(`/api/generations/${done.id}/frame?size=small`);
    const token = done.shareUrl.split("/s/")[1] ?? "";
    const baseline = await baselinePage(`${app.url}/api/share/${token}/video`);
    const shared: Timing[] = [];
    const direct: Timing[] = [];
    const owners: Timing[] = [];
    try {
      for (let run = 0; run < RUNS; run++) {
        shared.push(await measureOnce(browser, `${app.url}/s/${token}`));
        direct.push(await measureOnce(browser, baseline.url));
        // The owner's result page (no password set, so it is open), reloaded on a phone.
        owners.push(await measureOnce(browser, `${app.url}/g/${done.id}`));
      }
    } finally {
      await baseline.close();
    }
    const chose = shared.every((timing) => timing.src.includes("rendition=light"))
      ? "light rendition"
      : `not always light (${shared.map((t) => t.src.split("?")[1] ?? "original").join(", ")})`;
    console.log(
      `  P12 page (with its poster) arrived at ${shared.map((timing) => Math.round(timing.pageLoaded ?? -1)).join(", ")} ms; painted at ${shared.map((timing) => Math.round(timing.picture)).join(", ")} ms`,
    );
    const baseWhat = `original ${(clip.bytes / 1_048_576).toFixed(1)} MB in a bare <video>, phone`;
    /** Poster on screen (≤ 1 s) and playback running (≤ 2.5 s) for one page, against the bare file in the same run. */
    const pageFigures = (page: string, timings: Timing[], posterNote: string, playbackNote: string): Figure[] =>
      [
        { measure: "picture" as const, milestone: "poster on screen", note: posterNote, limit: 1000, baselineNote: ": first frame" },
        { measure: "playing" as const, milestone: "playback running", note: playbackNote, limit: 2500, baselineNote: "" },
      ].map(({ measure, milestone, note, limit, baselineNote }) => {
        const value = median(timings.map((timing) => timing[measure]));
        return {
          id: "P12",
          what: `phone: ${page} → ${milestone}${note} (median of ${RUNS})`,
          value,
          unit: "ms",
          baseline: median(direct.map((timing) => timing[measure])),
          baselineWhat: `${baseWhat}${baselineNote}`,
          target: `≤ ${limit} ms`,
          met: value <= limit,
        };
      });
    return [
      ...pageFigures(
        "share link",
        shared,
        ` (${Math.round(previewBytes / 1024)} KB preview inside the page), ${(clip.bytes / 1_048_576).toFixed(1)} MB 720P 6 s result`,
        ` (${chose}, ${(lightBytes / 1_048_576).toFixed(2)} MB)`,
      ),
      ...pageFigures("result page", owners, "", ""),
      {
        id: "P12",
        what: "derived media made after the result was stored (preview, poster, remux, light rendition; server, 2 cores)",
        value: deriveMs,
        unit: "ms",
        baseline: decodeMs,
        baselineWhat: "one plain decode of the clip by the same ffmpeg",
        target: "—",
        met: true,
      },
    ];
  } finally {
    await browser.close();
    await app.stop();
    await upstream.close();
  }
}
