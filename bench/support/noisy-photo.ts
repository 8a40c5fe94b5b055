import { randomBytes } from "node:crypto";
import sharp from "sharp";

/**
 * A JPEG of pure colour noise: the worst case for an encoder. At 6000×6000 and quality 60 it
 * is ~16 MB, under the provider's 20 MB, yet re-encoded at full size for storage it is over it.
 */
export async function noisyJpeg(width: number, height: number, quality = 60): Promise<Buffer> {
  return sharp(randomBytes(width * height * 3), { raw: { width, height, channels: 3 } })
    .jpeg({ quality })
    .toBuffer();
}
