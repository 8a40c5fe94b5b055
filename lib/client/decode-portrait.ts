import { JPG } from "image-size/types/jpg";
import type { AcceptedImageType } from "@/lib/contracts/image-rules";
import { workingScale, type Size } from "./crop-math";
import { DEFAULT_EXPORT } from "./export-settings";

/** A dropped photo as the studio works on it: upright, decoded no finer than it needs. */
export interface WorkingImage extends Size {
  /** The file as dropped, for a full-resolution decode when a deep zoom needs one. */
  file: Blob;
  /** Upright pixels; `width`/`height` are the original's upright size in source pixels. */
  bitmap: ImageBitmap;
  /** Bitmap pixels per source pixel (1 when decoded in full). */
  scale: number;
}

// JPEG dimensions sit in the SOF segment, after any EXIF/ICC blocks (tens of KB in phone photos).
const HEADER_BYTES = 512 * 1024;
// EXIF orientations 5–8 turn the stored image a quarter turn.
const QUARTER_TURNS = new Set([5, 6, 7, 8]);

/** Decodes a photo upright; throws when its bytes cannot be decoded. */
export async function decodePortrait(file: Blob, type: AcceptedImageType): Promise<WorkingImage> {
  return (type === "image/jpeg" && (await decodeScaledJpeg(file))) || decodeFull(file);
}

export async function decodeFull(file: Blob): Promise<WorkingImage> {
  const bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
  return { file, bitmap, width: bitmap.width, height: bitmap.height, scale: 1 };
}

/**
 * A large JPEG decoded straight to a smaller size with the decoder's own scaling
 * (WebCodecs ImageDecoder; libjpeg scales while decoding): a 24 MP photo costs a quarter
 * of the time and memory of a full decode. Null where that is not possible.
 */
async function decodeScaledJpeg(file: Blob): Promise<WorkingImage | null> {
  if (typeof ImageDecoder === "undefined") return null;
  const stored = await jpegSize(file);
  if (!stored) return null;
  const upright = QUARTER_TURNS.has(stored.orientation) ? { width: stored.height, height: stored.width } : { width: stored.width, height: stored.height };
  // libjpeg decodes at eighths of full size, and Chromium takes the largest eighth not above
  // the size asked for: ask for a whole eighth, or it would round down below what we need.
  const scale = Math.ceil(workingScale(upright, DEFAULT_EXPORT.maxLongSide) * 8) / 8;
  if (scale >= 1) return null;

  let decoder: ImageDecoder | null = null;
  try {
    decoder = new ImageDecoder({
      data: file.stream(),
      type: "image/jpeg",
      // In stored orientation; the frame carries the EXIF rotation, which createImageBitmap applies.
      desiredWidth: Math.round(stored.width * scale),
      desiredHeight: Math.round(stored.height * scale),
    });
    const { image } = await decoder.decode();
    const bitmap = await createImageBitmap(image);
    image.close();
    const actualScale = bitmap.width / upright.width;
    // A header that disagrees with the pixels (odd files): trust a full decode instead.
    if (Math.abs(bitmap.height / actualScale - upright.height) > 2 / actualScale) {
      bitmap.close();
      return null;
    }
    return { file, bitmap, ...upright, scale: actualScale };
  } catch {
    return null;
  } finally {
    decoder?.close();
  }
}

async function jpegSize(file: Blob): Promise<{ width: number; height: number; orientation: number } | null> {
  try {
    const head = new Uint8Array(await file.slice(0, HEADER_BYTES).arrayBuffer());
    const { width, height, orientation } = JPG.calculate(head);
    return width > 0 && height > 0 ? { width, height, orientation: orientation ?? 1 } : null;
  } catch {
    return null;
  }
}
