import type { AcceptedImageType } from "@/lib/contracts/image-rules";

export type SniffResult = { accepted: true; mime: AcceptedImageType } | { accepted: false; reason: string };

const startsWith = (bytes: Uint8Array, signature: number[], offset = 0) => signature.every((byte, index) => bytes[offset + index] === byte);
const ascii = (bytes: Uint8Array, start: number, end: number) => String.fromCharCode(...bytes.subarray(start, end));

/** Judges an image by its magic numbers, never by the name or claimed type. */
export function sniffImageType(bytes: Uint8Array): SniffResult {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return { accepted: true, mime: "image/jpeg" };
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { accepted: true, mime: "image/png" };
  if (ascii(bytes, 0, 4) === "RIFF" && ascii(bytes, 8, 12) === "WEBP") return { accepted: true, mime: "image/webp" };

  if (ascii(bytes, 4, 8) === "ftyp" && /^(heic|heix|hevc|heim|heis|mif1|msf1|avif)$/.test(ascii(bytes, 8, 12))) {
    return {
      accepted: false,
      reason: "HEIC/HEIF photos are not supported. On an iPhone, set Settings → Camera → Formats → Most Compatible, or export the photo as JPEG first.",
    };
  }
  if (ascii(bytes, 0, 4) === "GIF8") return { accepted: false, reason: "GIF images are not supported. Use a JPG, PNG or WebP photo." };
  const head = new TextDecoder().decode(bytes.subarray(0, 256)).trimStart().toLowerCase();
  if (head.startsWith("<")) {
    return { accepted: false, reason: "This file is markup (SVG or HTML), not a photo. Use a JPG, PNG or WebP image." };
  }
  return { accepted: false, reason: "This file is not a JPG, PNG or WebP image." };
}
