export interface ExportOptions {
  /**
   * Long side cap. 1280 is what a 720P video can use: measured on a 12 MP camera photo
   * framed 3:4, a lossless 1920 crop and a lossless 1280 crop differ by 0.002 SSIM once
   * brought to 720P, while the 1280 JPEG is 2.6× smaller (108 KB against 285 KB).
   */
  maxLongSide: number;
  /**
   * JPEG quality, 0..1. JPEG rather than WebP: Chromium's WebP encoder takes ~300 ms for
   * such a crop (over a second on a phone) against ~15 ms, and scores lower SSIM per byte
   * on grainy photos at the qualities that keep detail (`npx tsx bench/encoder-sweep.ts`).
   */
  quality: number;
}

export const DEFAULT_EXPORT: ExportOptions = { maxLongSide: 1280, quality: 0.9 };
