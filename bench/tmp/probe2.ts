import { launchChromium } from "../chromium";
import { createGeneration, waitFor, waitForFinal } from "../support/api";
import { freePort, startApp } from "../support/app-server";
import { startFakeProvider } from "../support/fake-provider";
import { heavyClip } from "../support/heavy-clip";
import { PHONE } from "../support/phone";
import { drawPortrait, toDataUrl } from "../support/photos";

const clip = heavyClip();
const upstream = await startFakeProvider({ apiKey: "k", timeline: { pendingMs: 100, processingMs: 300 }, videoFile: clip.file });
const app = await startApp({ port: await freePort(), env: { VTRIX_API_KEY: upstream.apiKey, VTRIX_BASE_URL: upstream.url, ALLOW_INSECURE_RESULT_URLS: "1", POLL_INTERVAL_MS: "200", LOG_LEVEL: "warn" } });
const browser = await launchChromium();
try {
  const created = await createGeneration(app.url, { image: toDataUrl(await drawPortrait()), prompt: "probe" });
  const done = await waitForFinal(app.url, created.id, 60_000);
  await waitFor(async () => { const v = await (await fetch(`${app.url}/api/generations/${done.id}`)).json(); return v.lightVideoUrl && v.videoWidth ? v : undefined; }, 180_000);
  const url = `${app.url}${done.shareUrl}`;
  for (let i = 0; i < 3; i++) {
    const context = await browser.newContext({ viewport: { width: 412, height: 823 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: PHONE.cpuSlowdown });
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: PHONE.latencyMs, downloadThroughput: PHONE.downloadBytesPerSecond, uploadThroughput: PHONE.uploadBytesPerSecond });
    const names = new Map<string, string>();
    const bytes = new Map<string, number>();
    let t0 = 0;
    const events: string[] = [];
    cdp.on("Network.requestWillBeSent", (e: any) => { if (!t0) t0 = e.timestamp; names.set(e.requestId, e.request.url.replace(app.url, "").slice(0, 50)); });
    cdp.on("Network.dataReceived", (e: any) => { bytes.set(e.requestId, (bytes.get(e.requestId) ?? 0) + e.encodedDataLength); });
    cdp.on("Network.loadingFinished", (e: any) => { events.push(`${Math.round((e.timestamp - t0) * 1000)} done ${names.get(e.requestId)} ${bytes.get(e.requestId)}`); });
    await page.addInitScript(`(() => { const w = () => { const v = document.querySelector("video"); if (v && v.currentTime > 0.1 && !v.paused) { window.__playing = performance.now(); return; } setTimeout(w, 10); }; w(); })();`);
    await page.goto(url, { waitUntil: "commit" });
    await page.waitForFunction(() => (window as any).__playing, null, { timeout: 60000 });
    const playing = await page.evaluate(() => (window as any).__playing);
    const snapshot = [...bytes.entries()].map(([id, b]) => `${names.get(id)}=${b}`).join(" | ");
    console.log(`run ${i}: playing at ${Math.round(playing)}; bytes by then: ${snapshot}`);
    console.log(events.join("\n"));
    await context.close();
  }
} finally { await browser.close(); await app.stop(); await upstream.close(); }
