import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { launchChromium, median } from "../chromium";
import type { Figure } from "../report";
import { startApp } from "../../tests/support/app-server";
import { makePortrait } from "../../tests/support/portraits";

const RUNS = 5;

// Plain JavaScript (a string) so the bundler's helpers never leak into the page.
const INSTRUMENT = `(() => {
  const marks = {};
  window.benchMarks = marks;
  document.addEventListener("change", () => { marks.dropped ??= performance.now(); }, true);
  document.addEventListener("click", (event) => {
    if (event.target.closest('[data-testid="generate"]')) marks.clicked = performance.now();
  }, true);
  const waitForFrame = () => {
    if (document.querySelector('[data-testid="crop-stage"] img')) marks.framed = performance.now();
    else requestAnimationFrame(waitForFrame);
  };
  requestAnimationFrame(waitForFrame);
  const realFetch = window.fetch.bind(window);
  window.fetch = (input, init) => {
    if (init && init.method === "POST" && String(input).endsWith("/api/generations")) marks.sent = performance.now();
    return realFetch(input, init);
  };
})()`;

async function photo(width: number, height: number): Promise<string> {
  const dir = path.join(os.tmpdir(), "portrait-live-bench");
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `photo-${width}x${height}.jpg`);
  // Resized from a drawn portrait, with grain like a camera sensor's so the JPEG is as
  // heavy as a real photo of that size (a few MB), not a smooth drawing.
  const base = await sharp(await makePortrait({ width: Math.round(width / 4), height: Math.round(height / 4) })).resize(width, height).raw().toBuffer({ resolveWithObject: true });
  let seed = 0x2545f491;
  for (let i = 0; i < base.data.length; i++) {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    base.data[i] = Math.min(255, Math.max(0, (base.data[i] ?? 0) + ((seed >>> 24) % 25) - 12));
  }
  writeFileSync(file, await sharp(base.data, { raw: base.info }).jpeg({ quality: 92 }).toBuffer());
  return file;
}

/**
 * P1: from the drop to the upload body being ready, in the real studio in headless
 * Chromium, framed 9:16: the machine's time (drop → frame on screen, plus Generate →
 * request sent), not the automation's clicks. The request is intercepted (and refused)
 * so nothing is created.
 * Baseline: sending the original file as a base64 data URL.
 */
export async function measureUploadPayload(): Promise<Figure[]> {
  const app = await startApp({ env: { LOG_LEVEL: "warn" } });
  const browser = await launchChromium();
  const figures: Figure[] = [];
  try {
    for (const [label, width, height] of [["24 MP (6000×4000)", 6000, 4000], ["12 MP (4000×3000)", 4000, 3000]] as const) {
      const file = await photo(width, height);
      const times: number[] = [];
      const baselineTimes: number[] = [];
      let payloadBytes = 0;
      let baselineBytes = 0;
      for (let run = 0; run < RUNS; run++) {
        const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
        await page.route("**/api/generations", async (route) => {
          payloadBytes = Buffer.byteLength(route.request().postData() ?? "");
          await route.fulfill({ status: 503, contentType: "application/json", body: '{"error":{"code":"bench","message":"benchmark"}}' });
        });
        await page.goto(`${app.url}/`);
        await page.getByTestId("file-input").waitFor({ state: "attached" });
        // Machine time only, measured in the page: drop → frame on screen, and click → request sent.
        await page.evaluate(INSTRUMENT);
        await page.getByTestId("file-input").setInputFiles(file);
        await page.getByText("9:16", { exact: true }).click();
        await page.getByTestId("generate").click();
        await page.getByTestId("generate-error").getByText("benchmark").waitFor();
        const marks = (await page.evaluate("window.benchMarks")) as Record<string, number>;
        if (process.env.BENCH_DEBUG) console.log("framing", (marks.framed ?? 0) - (marks.dropped ?? 0), "export", (marks.sent ?? 0) - (marks.clicked ?? 0));
        times.push((marks.framed ?? NaN) - (marks.dropped ?? NaN) + ((marks.sent ?? NaN) - (marks.clicked ?? NaN)));

        // Baseline: the original file read as a data URL, in the same page.
        await page.evaluate(() => {
          const element = document.createElement("input");
          element.type = "file";
          element.id = "bench-baseline";
          document.body.append(element);
        });
        const input = page.locator("#bench-baseline");
        await input.setInputFiles(file);
        const baseline = await input.evaluate(async (element: HTMLInputElement) => {
          const started = performance.now();
          const url = await new Promise<string>((resolve) => {
            const reader = new FileReader();
            reader.onload = () => resolve(String(reader.result));
            reader.readAsDataURL(element.files?.[0] as Blob);
          });
          return { ms: performance.now() - started, bytes: url.length };
        });
        baselineTimes.push(baseline.ms);
        baselineBytes = baseline.bytes;
        await page.close();
      }
      const ms = median(times);
      const payloadMB = payloadBytes / 1024 / 1024;
      figures.push(
        {
          id: "P1",
          what: `drop → upload payload ready, ${label}, 9:16 (median of ${RUNS})`,
          value: ms,
          unit: "ms",
          baseline: median(baselineTimes),
          baselineWhat: "original as base64 data URL",
          target: "≤ 250 ms",
          met: ms <= 250,
        },
        {
          id: "P1",
          what: `upload payload size, ${label}`,
          value: payloadMB,
          unit: "MB",
          baseline: baselineBytes / 1024 / 1024,
          baselineWhat: "original as base64 data URL",
          target: "≤ 1.5 MB",
          met: payloadMB <= 1.5,
        },
      );
    }
    return figures;
  } finally {
    await browser.close();
    await app.stop();
  }
}
