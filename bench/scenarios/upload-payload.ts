import { UPLOAD_SETTLE_MS } from "@/lib/client/crop-uploader";
import { launchChromium, median } from "../chromium";
import type { Figure } from "../report";
import { startApp } from "../support/app-server";
import { cameraPhoto } from "../support/photos";

const RUNS = 5;

// Plain JavaScript (a string) so the bundler's helpers never leak into the page.
// Marks the drop and the moment the crop's upload is handed to the network, with its size.
const INSTRUMENT = `(() => {
  const marks = {};
  window.benchMarks = marks;
  document.addEventListener("change", () => { marks.dropped ??= performance.now(); }, true);
  const send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.send = function (body) {
    if (body instanceof Blob && marks.sent === undefined) {
      marks.sent = performance.now();
      marks.bytes = body.size;
    }
    return send.call(this, body);
  };
})()`;

/**
 * P1: from the drop to the crop's upload leaving, in the real studio in headless Chromium,
 * with the frame it starts with (3:4): decode, frame on screen and encode — the machine's
 * time, less the studio's deliberate wait for the framing to settle (UPLOAD_SETTLE_MS).
 * Baseline: reading the original file as a base64 data URL.
 */
export async function measureUploadPayload(): Promise<Figure[]> {
  const app = await startApp({ env: { LOG_LEVEL: "warn" } });
  const browser = await launchChromium();
  const figures: Figure[] = [];
  try {
    for (const [label, width, height] of [
      ["24 MP (6000×4000)", 6000, 4000],
      ["12 MP (4000×3000)", 4000, 3000],
    ] as const) {
      const file = await cameraPhoto(width, height);
      const times: number[] = [];
      const baselineTimes: number[] = [];
      let payloadBytes = 0;
      let baselineBytes = 0;
      for (let run = 0; run < RUNS; run++) {
        const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
        // Nothing is stored: the upload is answered here.
        await page.route("**/api/uploads", (route) =>
          route.fulfill({ status: 503, contentType: "application/json", body: '{"error":{"code":"bench","message":"benchmark"}}' }),
        );
        await page.goto(`${app.url}/`);
        await page.getByTestId("file-input").waitFor({ state: "attached" });
        await page.evaluate(INSTRUMENT);
        await page.getByTestId("file-input").setInputFiles(file);
        await page.waitForFunction(() => (window as unknown as { benchMarks: { sent?: number } }).benchMarks.sent !== undefined, null, { timeout: 60_000 });
        const marks = (await page.evaluate("window.benchMarks")) as { dropped: number; sent: number; bytes: number };
        times.push(marks.sent - marks.dropped - UPLOAD_SETTLE_MS);
        payloadBytes = marks.bytes;

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
          what: `drop → crop's upload sent (less the ${UPLOAD_SETTLE_MS} ms settle), ${label}, 3:4 (median of ${RUNS})`,
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
