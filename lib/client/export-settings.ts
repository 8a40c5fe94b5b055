export interface ExportOptions {
  /**
   * Long side cap. 1280 is what a 720P video can use: a 3:4 crop is 960×1280, more pixels
   * than the 720×960 frame it becomes. Measured on a 12 MP camera photo framed 3:4 (SSIM
   * against the full-resolution crop, brought to 720P): lossless 1280 scores 0.982 and
   * lossless 1920 0.991 — the difference is sensor grain resampled twice, not detail —
   * while the JPEG is 3–5× smaller (`npx tsx bench/encoder-sweep.ts`).
   */
  maxLongSide: number;
  /**
   * JPEG quality, 0..1. 0.85 costs 0.013 SSIM at 720P against a lossless crop (0.90: 0.010)
   * for 40% fewer bytes (67 KB against 108 KB, half a second less on a phone's upload).
   * JPEG rather than WebP: Chromium's WebP encoder takes ~300 ms for such a crop (over a
   * second on a phone) against ~15 ms, and its SSIM per byte is no better on grainy photos
   * (`npx tsx bench/encoder-sweep.ts`).
   */
  quality: number;
}

export const DEFAULT_EXPORT: ExportOptions = { maxLongSide: 1280, quality: 0.85 };
