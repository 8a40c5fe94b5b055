import "server-only";
import sharp, { type Metadata } from "sharp";
import { ApiError } from "@/lib/errors";
import { checkImageBytes, checkImageDimensions } from "@/lib/contracts/image-rules";
import { sniffImageType } from "./sniff-image-type";

/** Beyond this many pixels we refuse before decoding (a tiny file can declare a huge canvas). */
const MAX_INPUT_PIXELS = 100_000_000;
const DATA_URL_PATTERN = /^data:([a-z]+\/[a-z0-9.+-]+)?(;[a-z0-9-]+=[^;,]*)*;base64,/i;
const BASE64_PATTERN = /^[A-Za-z0-9+/]*={0,2}$/;

export interface PreparedImage {
  /** Upright JPEG, metadata stripped: what we store and send upstream. */
  jpeg: Buffer;
  width: number;
  height: number;
}

const invalidImage = (message: string) => new ApiError("invalid_image", message, "image");

export function decodeDataUrl(dataUrl: string): Buffer {
  const header = DATA_URL_PATTERN.exec(dataUrl);
  if (!header) throw invalidImage("image must be a base64 data URL (data:image/jpeg;base64,...).");
  const payload = dataUrl.slice(header[0].length);
  // 4 base64 characters carry 3 bytes: refuse oversize input before decoding it.
  const sizeError = checkImageBytes(Math.floor((payload.length * 3) / 4) - (payload.endsWith("==") ? 2 : payload.endsWith("=") ? 1 : 0));
  if (sizeError) throw new ApiError("image_too_large", sizeError.message, "image");
  if (payload.length === 0 || payload.length % 4 !== 0 || !BASE64_PATTERN.test(payload)) {
    throw invalidImage("image is not valid base64.");
  }
  return Buffer.from(payload, "base64");
}

/**
 * The server's authoritative check of an upload: type by magic numbers, size, header
 * dimensions before any decode, then a full decode that rejects truncated files and
 * re-encodes upright without metadata (no GPS leaks into shared posters).
 */
export async function prepareUploadImage(bytes: Buffer): Promise<PreparedImage> {
  const sniffed = sniffImageType(bytes);
  if (!sniffed.accepted) throw new ApiError("image_type", sniffed.reason, "image");

  let metadata: Metadata;
  try {
    metadata = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    throw invalidImage("The image cannot be read; the file may be damaged.");
  }
  const { width, height } = uprightSize(metadata);
  if (!width || !height) throw invalidImage("The image has no readable dimensions.");
  if (width * height > MAX_INPUT_PIXELS) {
    throw new ApiError("image_too_large", `The image declares ${width}×${height} px; at most 100 megapixels are accepted.`, "image");
  }
  if ((metadata.pages ?? 1) > 1) throw invalidImage("Animated images are not supported; use a single still photo.");
  const dimensionError = checkImageDimensions(width, height);
  if (dimensionError) throw new ApiError(dimensionError.code, dimensionError.message, "image");

  try {
    const { data, info } = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: "truncated" })
      .rotate()
      .jpeg({ quality: 92, mozjpeg: true })
      .toBuffer({ resolveWithObject: true });
    return { jpeg: data, width: info.width, height: info.height };
  } catch {
    throw invalidImage("The image could not be decoded; the file may be truncated or damaged.");
  }
}

/** EXIF orientations 5–8 swap width and height once the photo is turned upright. */
function uprightSize(metadata: Metadata): { width?: number; height?: number } {
  const swap = (metadata.orientation ?? 1) >= 5;
  return swap ? { width: metadata.height, height: metadata.width } : { width: metadata.width, height: metadata.height };
}
