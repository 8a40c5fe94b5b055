import { exportSize, type Area } from "./crop-math";

export interface ExportOptions {
  /** Long side cap: 1920 keeps everything a 720P video can use while the payload stays small. */
  maxLongSide: number;
  quality: number;
}

export const DEFAULT_EXPORT: ExportOptions = { maxLongSide: 1920, quality: 0.9 };

/**
 * The upload payload: a JPEG of the crop. The photo was decoded once, upright, when it
 * was dropped; cropping and scaling that bitmap (createImageBitmap) and encoding it
 * (OffscreenCanvas.convertToBlob) both run off the main thread in the browser.
 */
export async function renderCrop(upright: ImageBitmap, area: Area, options: ExportOptions = DEFAULT_EXPORT): Promise<Blob> {
  const size = exportSize(area, options.maxLongSide);
  const cropped = await createImageBitmap(upright, area.x, area.y, area.width, area.height, {
    resizeWidth: size.width,
    resizeHeight: size.height,
    resizeQuality: "high",
  });
  try {
    if (typeof OffscreenCanvas !== "undefined") {
      const canvas = new OffscreenCanvas(size.width, size.height);
      canvas.getContext("2d")?.drawImage(cropped, 0, 0);
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

export function blobToDataUrl(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error("could not read the image"));
    reader.readAsDataURL(blob);
  });
}
