import { checkImageBytes, IMAGE_RULES } from "@/lib/contracts/image-rules";
import { sniffImageType } from "@/lib/images/sniff-image-type";

export type InspectedImage =
  | { ok: true; file: Blob; bitmap: ImageBitmap; width: number; height: number; previewUrl: string }
  | { ok: false; message: string };

/**
 * Checks a dropped file the way the server will, cheapest first (type by its bytes,
 * size, decode, dimensions), with one specific message per problem. Dimensions are
 * read after EXIF orientation is applied.
 */
export async function inspectImageFile(file: Blob): Promise<InspectedImage> {
  if (file.size === 0) return { ok: false, message: "This file is empty." };
  // The type first: "this is a PDF" helps more than "this is too big".
  const head = new Uint8Array(await file.slice(0, 64).arrayBuffer());
  const type = sniffImageType(head);
  if (!type.accepted) return { ok: false, message: type.reason };

  const sizeProblem = checkImageBytes(file.size);
  if (sizeProblem) return { ok: false, message: sizeProblem.message };

  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
  } catch {
    return { ok: false, message: "This image could not be decoded; the file may be damaged or incomplete." };
  }
  const { width, height } = bitmap;
  if (Math.min(width, height) <= IMAGE_RULES.minShortSideExclusive) {
    bitmap.close();
    return {
      ok: false,
      message: `This image is ${width}×${height} px. Its short side must be more than ${IMAGE_RULES.minShortSideExclusive} px; please use a larger photo.`,
    };
  }
  // The decoded bitmap is kept: framing, face detection and the upload all reuse it.
  return { ok: true, file, bitmap, width, height, previewUrl: URL.createObjectURL(file) };
}
