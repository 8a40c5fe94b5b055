import "server-only";
import sharp, { type Metadata } from "sharp";
import { ApiError } from "@/lib/errors";
import { checkImageBytes, checkImageDimensions, IMAGE_RULES } from "@/lib/contracts/image-rules";
import { imageDecodeSlots } from "./decode-slots";
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

export interface PrepareOptions {
  /**
   * Runs right before the decode, once a decode slot is free: limits that may have been used
   * up while this request waited refuse it here, before it costs any decoding.
   */
  beforeDecode?: () => Promise<void>;
}

/** JPEG qualities tried in turn until the stored input is under the provider's byte limit. */
const STORED_QUALITIES = [92, 85, 75] as const;

/**
 * The server's authoritative check of an upload: type by magic numbers, size, header
 * dimensions before any decode, then one bounded decode (one at a time, see decode-slots)
 * that rejects truncated files and re-encodes upright, without metadata (no GPS leaks into
 * shared posters), at the size the provider uses and under its byte limit.
 */
export async function prepareUploadImage(bytes: Buffer, options: PrepareOptions = {}): Promise<PreparedImage> {
  const sniffed = sniffImageType(bytes);
  if (!sniffed.accepted) throw new ApiError("image_type", sniffed.reason, "image");
  await checkHeader(bytes);
  return imageDecodeSlots().run(async () => {
    await options.beforeDecode?.();
    const pixels = await decodeForProvider(bytes);
    for (const quality of STORED_QUALITIES) {
      const { width, height, channels } = pixels.info;
      const jpeg = await sharp(pixels.data, { raw: { width, height, channels } }).jpeg({ quality, mozjpeg: true }).toBuffer();
      // Checked after encoding: an input the provider would refuse is never stored or sent.
      if (!checkImageBytes(jpeg.length)) return { jpeg, width, height };
    }
    throw new ApiError("image_too_large", "The image cannot be stored under 20 MB even at reduced quality; try another photo.", "image");
  });
}

/** Dimensions, frame count and the model's rules, from the header alone. */
async function checkHeader(bytes: Buffer): Promise<void> {
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
}

/**
 * Upright sRGB pixels with the long side at most what the provider uses. Scaling down within
 * the decode lets JPEGs decode at a fraction of their size (shrink-on-load): a 100 MP photo
 * never exists in memory at full size.
 */
async function decodeForProvider(bytes: Buffer) {
  const side = IMAGE_RULES.storedMaxLongSide;
  try {
    return await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: "truncated" })
      .rotate()
      .resize({ width: side, height: side, fit: "inside", withoutEnlargement: true })
      .toColourspace("srgb")
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
  } catch {
    throw invalidImage("The image could not be decoded; the file may be truncated or damaged.");
  }
}

/** EXIF orientations 5–8 swap width and height once the photo is turned upright. */
function uprightSize(metadata: Metadata): { width?: number; height?: number } {
  const swap = (metadata.orientation ?? 1) >= 5;
  return swap ? { width: metadata.height, height: metadata.width } : { width: metadata.width, height: metadata.height };
}
