import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";

/**
 * A soft gradient "portrait" with a face-like ellipse and eyes, encoded by sharp; with
 * `exifOrientation`, stored sideways-tagged as cameras do. The tests use it too.
 */
export async function drawPortrait(
  options: { width?: number; height?: number; format?: "jpeg" | "png" | "webp"; exifOrientation?: number } = {},
): Promise<Buffer> {
  const { width = 720, height = 960, format = "jpeg" } = options;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#f4c7a1"/><stop offset="1" stop-color="#5b3a29"/></linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#g)"/>
    <ellipse cx="${width / 2}" cy="${height * 0.42}" rx="${width * 0.22}" ry="${height * 0.2}" fill="#e0ac8a"/>
    <circle cx="${width * 0.42}" cy="${height * 0.38}" r="${width * 0.025}" fill="#222"/>
    <circle cx="${width * 0.58}" cy="${height * 0.38}" r="${width * 0.025}" fill="#222"/>
  </svg>`;
  let image = sharp(Buffer.from(svg));
  if (options.exifOrientation) image = image.withMetadata({ orientation: options.exifOrientation });
  return image.toFormat(format, format === "jpeg" ? { quality: 88 } : {}).toBuffer();
}

export const toDataUrl = (bytes: Buffer, mime = "image/jpeg") => `data:${mime};base64,${bytes.toString("base64")}`;

/**
 * A camera-like JPEG of this size, written once per run to a temporary folder: a drawn
 * portrait scaled up with per-pixel grain like a sensor's, so it is as heavy to decode and
 * to compress as a real photo (a 12 MP one is ~4 MB), not a smooth drawing.
 */
export async function cameraPhoto(width: number, height: number): Promise<string> {
  const dir = path.join(os.tmpdir(), "portrait-live-bench");
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `photo-${width}x${height}.jpg`);
  const base = await sharp(await drawPortrait({ width: Math.round(width / 4), height: Math.round(height / 4) }))
    .resize(width, height)
    .raw()
    .toBuffer({ resolveWithObject: true });
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
