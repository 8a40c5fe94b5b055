export interface ExportOptions {
  /** Long side cap: 1920 keeps everything a 720P video can use while the payload stays small. */
  maxLongSide: number;
  /** JPEG quality, 0..1. */
  quality: number;
}

export const DEFAULT_EXPORT: ExportOptions = { maxLongSide: 1920, quality: 0.9 };
