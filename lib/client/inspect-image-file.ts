import { checkImageBytes, IMAGE_RULES } from "@/lib/contracts/image-rules";
import { sniffImageType } from "@/lib/images/sniff-image-type";
import { decodePortrait, type WorkingImage } from "./decode-portrait";

export type InspectedImage = ({ ok: true; previewUrl: string } & WorkingImage) | { ok: false; message: string };

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

  let image: WorkingImage;
  try {
    image = await decodePortrait(file, type.mime);
  } catch {
    return { ok: false, message: "This image could not be decoded; the file may be damaged or incomplete." };
  }
  const { width, height } = image;
  if (Math.min(width, height) <= IMAGE_RULES.minShortSideExclusive) {
    image.bitmap.close();
    return {
      ok: false,
      message: `This image is ${width}×${height} px. Its short side must be more than ${IMAGE_RULES.minShortSideExclusive} px; please use a larger photo.`,
    };
  }
  // The decode is kept: framing, face detection and the upload all reuse it.
  return { ok: true, ...image, previewUrl: URL.createObjectURL(file) };
}
