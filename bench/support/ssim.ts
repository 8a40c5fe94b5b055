import sharp, { type Sharp } from "sharp";
import { ssim } from "ssim.js";

/** RGBA pixels of an encoded image, optionally resized (Lanczos) to exactly width × height. */
async function pixels(input: Buffer | Sharp, size?: { width: number; height: number }) {
  let image = Buffer.isBuffer(input) ? sharp(input) : input.clone();
  if (size) image = image.resize(size.width, size.height, { fit: "fill", kernel: "lanczos3" });
  const { data, info } = await image.ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
}

/**
 * Mean SSIM (ssim.js, the Wang et al. 2004 method as published, on luminance) of
 * `candidate` against `reference` (the full-resolution crop), both brought to `size`.
 * Not downsampled first (ssim.js's default follows the paper's viewing-distance
 * downsampling, which would hide exactly the fine detail in question).
 */
export async function meanSsim(reference: Sharp, candidate: Buffer, size: { width: number; height: number }): Promise<number> {
  const [a, b] = await Promise.all([pixels(reference, size), pixels(candidate, size)]);
  return ssim(a, b, { ssim: "weber", downsample: false }).mssim;
}
