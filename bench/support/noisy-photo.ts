import { randomBytes } from "node:crypto";
import sharp from "sharp";

/**
 * A JPEG of colour noise: the worst case for an encoder. At 6000×6000 and quality 60 it is
 * ~16 MB, under the provider's 20 MB, yet re-encoded at full size for storage it is over it.
 * With `grain` > 1 the noise comes in soft blobs that many pixels wide, so a very large photo
 * (100 MP with grain 8: ~10 MB) is still heavy to decode but fits under 20 MB.
 */
export async function noisyJpeg(width: number, height: number, options: { quality?: number; grain?: number } = {}): Promise<Buffer> {
  const { quality = 60, grain = 1 } = options;
  const noise = { width: Math.ceil(width / grain), height: Math.ceil(height / grain), channels: 3 as const };
  let image = sharp(randomBytes(noise.width * noise.height * 3), { raw: noise });
  if (grain > 1) image = sharp(await image.png({ compressionLevel: 0 }).toBuffer()).resize(width, height, { kernel: "cubic" });
  return image.jpeg({ quality }).toBuffer();
}
