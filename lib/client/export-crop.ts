import { checkCrop, exportSize, type Area } from "./crop-math";
import { decodeFull, type WorkingImage } from "./decode-portrait";
import { DEFAULT_EXPORT, type ExportOptions } from "./export-settings";

/** The crop would break the model's rules (too small after scaling, or out of the 2:5–5:2 band). */
export class CropRejectedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CropRejectedError";
  }
}

/**
 * The upload payload: a JPEG of `cropPixels` (in upright source pixels), long side capped.
 *
 * Made from the studio's working decode of the photo when it holds enough pixels for
 * this crop, else (a deep zoom into a photo decoded at reduced scale) from a full decode.
 * Cropping and scaling (createImageBitmap) and encoding (OffscreenCanvas.convertToBlob)
 * run off the main thread where the browser supports them.
 */
export async function exportCrop(image: WorkingImage, cropPixels: Area, options: Partial<ExportOptions> = {}): Promise<Blob> {
  const { maxLongSide, quality } = { ...DEFAULT_EXPORT, ...options };
  const problem = checkCrop(cropPixels, maxLongSide);
  if (problem) throw new CropRejectedError(problem.message);

  const area = withinImage(cropPixels, image);
  const size = exportSize(area, maxLongSide);
  const sharpEnough = area.width * image.scale >= size.width - 0.5;
  const source = sharpEnough ? image : await decodeFull(image.file);
  try {
    const cropped = await createImageBitmap(
      source.bitmap,
      area.x * source.scale,
      area.y * source.scale,
      area.width * source.scale,
      area.height * source.scale,
      { resizeWidth: size.width, resizeHeight: size.height, resizeQuality: "high" },
    );
    try {
      return await encodeJpeg(cropped, quality);
    } finally {
      cropped.close();
    }
  } finally {
    if (source !== image) source.bitmap.close();
  }
}

/** The cropper's rounding can put an edge a pixel outside the photo; pull it back in. */
function withinImage(area: Area, image: { width: number; height: number }): Area {
  const width = Math.min(Math.round(area.width), image.width);
  const height = Math.min(Math.round(area.height), image.height);
  return {
    x: Math.min(Math.max(0, Math.round(area.x)), image.width - width),
    y: Math.min(Math.max(0, Math.round(area.y)), image.height - height),
    width,
    height,
  };
}

async function encodeJpeg(bitmap: ImageBitmap, quality: number): Promise<Blob> {
  if (typeof OffscreenCanvas !== "undefined") {
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext("2d");
    if (!context) throw new Error("This browser cannot draw the crop (no 2D canvas).");
    context.drawImage(bitmap, 0, 0);
    return canvas.convertToBlob({ type: "image/jpeg", quality });
  }
  // Older Safari: no OffscreenCanvas, so encode on the page.
  const canvas = document.createElement("canvas");
  canvas.width = bitmap.width;
  canvas.height = bitmap.height;
  const context = canvas.getContext("2d");
  if (!context) throw new Error("This browser cannot draw the crop (no 2D canvas).");
  context.drawImage(bitmap, 0, 0);
  return new Promise<Blob>((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("The crop could not be encoded as JPEG."))), "image/jpeg", quality),
  );
}
