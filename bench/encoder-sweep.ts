import sharp from "sharp";
import { launchChromium } from "./chromium";
import { cameraPhoto } from "./support/photos";
import { meanSsim } from "./support/ssim";

/**
 * `npx tsx bench/encoder-sweep.ts`: the upload's size and SSIM for each encoder, quality
 * and long side Chromium offers (OffscreenCanvas.convertToBlob), on a 12 MP camera-like
 * JPEG framed 3:4, made the way the studio makes it — the measurement behind the studio's
 * export settings. SSIM against the full-resolution crop, at the upload's size and at 720P
 * (PNG: lossless, what the scaling alone costs).
 */
async function main() {
  const file = await cameraPhoto(4000, 3000);
  const crop = { x: 875, y: 0, width: 2250, height: 3000 };
  const reference = sharp(file).extract({ left: crop.x, top: crop.y, width: crop.width, height: crop.height });
  const browser = await launchChromium();
  const page = await browser.newPage();
  // A page on localhost (a secure context, so WebCodecs is there), served by the route itself.
  await page.route("http://localhost/sweep", (route) => route.fulfill({ contentType: "text/html", body: '<input type="file" id="photo">' }));
  await page.goto("http://localhost/sweep");
  await page.locator("#photo").setInputFiles(file);
  const rows: string[] = [];
  for (const longSide of [1920, 1280]) {
    for (const [type, quality] of [
      ["image/png", 1],
      ["image/jpeg", 0.92],
      ["image/jpeg", 0.9],
      ["image/jpeg", 0.85],
      ["image/jpeg", 0.8],
      ["image/jpeg", 0.75],
      ["image/jpeg", 0.7],
      ["image/webp", 0.9],
      ["image/webp", 0.85],
      ["image/webp", 0.8],
      ["image/webp", 0.75],
      ["image/webp", 0.7],
    ] as const) {
      const encoded = await page.locator("#photo").evaluate(
        async (input: HTMLInputElement, { crop, longSide, type, quality }) => {
          const scale = longSide / Math.max(crop.width, crop.height);
          const width = Math.round(crop.width * scale);
          const height = Math.round(crop.height * scale);
          // As the studio does: the photo decoded at the eighth of full size the upload needs, then cropped and scaled.
          const photo = input.files?.[0] as Blob;
          const decodeScale = Math.min(1, Math.ceil((longSide / 3000) * 8) / 8);
          const decoder = new ImageDecoder({ data: photo.stream(), type: "image/jpeg", desiredWidth: 4000 * decodeScale, desiredHeight: 3000 * decodeScale });
          const { image: frame } = await decoder.decode();
          const decoded = await createImageBitmap(frame);
          frame.close();
          decoder.close();
          const s = decoded.width / 4000;
          const started = performance.now();
          const bitmap = await createImageBitmap(decoded, crop.x * s, crop.y * s, crop.width * s, crop.height * s, {
            resizeWidth: width,
            resizeHeight: height,
            resizeQuality: "high",
          });
          const canvas = new OffscreenCanvas(width, height);
          canvas.getContext("2d")?.drawImage(bitmap, 0, 0);
          const encodeStarted = performance.now();
          const blob = await canvas.convertToBlob({ type, quality });
          const encodeMs = performance.now() - encodeStarted;
          const bytes = new Uint8Array(await blob.arrayBuffer());
          let binary = "";
          for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
          return { base64: btoa(binary), width, height, encodeMs, totalMs: performance.now() - started, type: blob.type };
        },
        { crop, longSide, type, quality },
      );
      const bytes = Buffer.from(encoded.base64, "base64");
      const atUpload = await meanSsim(reference, bytes, { width: encoded.width, height: encoded.height });
      const at720 = await meanSsim(reference, bytes, { width: 720, height: 960 });
      rows.push(
        `| ${longSide} | ${encoded.type} | ${quality} | ${encoded.width}×${encoded.height} | ${(bytes.length / 1024).toFixed(0)} KB | ${atUpload.toFixed(4)} | ${at720.toFixed(4)} | ${encoded.encodeMs.toFixed(0)} ms |`,
      );
      console.log(rows.at(-1));
    }
  }
  await browser.close();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
