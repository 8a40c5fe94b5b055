import { exportSize, type Area } from "./crop-math";

export interface ExportOptions {
  /** Long side cap: 1920 keeps everything a 720P video can use while the payload stays small. */
  maxLongSide: number;
  quality: number;
}

export const DEFAULT_EXPORT: ExportOptions = { maxLongSide: 1920, quality: 0.9 };

/**
 * Crops and scales with ImageBitmap (decoded and resized off the main thread by the
 * browser) and encodes a JPEG. Runs in a worker or, where workers lack OffscreenCanvas,
 * on the page.
 */
export async function renderCrop(file: Blob, area: Area, options: ExportOptions = DEFAULT_EXPORT): Promise<Blob> {
  const size = exportSize(area, options.maxLongSide);
  // Decode upright first, so the crop rectangle means what the user saw.
  const upright = await createImageBitmap(file, { imageOrientation: "from-image" });
  const cropped = await createImageBitmap(upright, area.x, area.y, area.width, area.height, {
    resizeWidth: size.width,
    resizeHeight: size.height,
    resizeQuality: "high",
  });
  upright.close();
  try {
    if (typeof OffscreenCanvas !== "undefined") {
      const canvas = new OffscreenCanvas(size.width, size.height);
      const context = canvas.getContext("2d");
      if (!context) throw new Error("no 2d context");
      context.drawImage(cropped, 0, 0);
      return await canvas.convertToBlob({ type: "image/jpeg", quality: options.quality });
    }
    const canvas = document.createElement("canvas");
    canvas.width = size.width;
    canvas.height = size.height;
    canvas.getContext("2d")?.drawImage(cropped, 0, 0);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("encoding failed"))), "image/jpeg", options.quality),
    );
  } finally {
    cropped.close();
  }
}
