import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { launchChromium, median } from "../chromium";
import type { Figure } from "../report";
import { startApp } from "../../tests/support/app-server";
import { makePortrait } from "../../tests/support/portraits";

const RUNS = 5;

async function photo(width: number, height: number): Promise<string> {
  const dir = path.join(os.tmpdir(), "portrait-live-bench");
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `photo-${width}x${height}.jpg`);
  // Resized from a drawn portrait, with noise so the JPEG is as heavy as a real photo.
  const base = await sharp(await makePortrait({ width: Math.round(width / 4), height: Math.round(height / 4) })).resize(width, height).raw().toBuffer({ resolveWithObject: true });
  for (let i = 0; i < base.data.length; i += 7) base.data[i] = (base.data[i] ?? 0) ^ (i & 15);
  writeFileSync(file, await sharp(base.data, { raw: base.info }).jpeg({ quality: 92 }).toBuffer());
  return file;
}

/**
 * P1: from the drop to the upload body being ready, in the real studio in headless
 * Chromium, framed 9:16. The request is intercepted (and refused) so nothing is created.
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
        let sentAt = 0;
        await page.route("**/api/generations", async (route) => {
          sentAt = await page.evaluate(() => performance.now());
          payloadBytes = Buffer.byteLength(route.request().postData() ?? "");
          await route.fulfill({ status: 503, contentType: "application/json", body: '{"error":{"code":"bench","message":"benchmark"}}' });
        });
        await page.goto(`${app.url}/`);
        await page.getByText("Take a photo").waitFor({ state: "attached" });
        const droppedAt = await page.evaluate(() => performance.now());
        await page.getByTestId("file-input").setInputFiles(file);
        await page.getByText("9:16", { exact: true }).click();
        await page.getByTestId("generate").click();
        await page.getByTestId("generate-error").getByText("benchmark").waitFor();
        times.push(sentAt - droppedAt);

        // Baseline: the original file read as a data URL, in the same page.
        const input = page.locator('input[type="file"][capture]');
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
