import sharp from "sharp";
import { makePortrait } from "./portraits";

/**
 * Hostile or unusable images, shared by every route that takes a portrait (create with a
 * data URL, POST /api/uploads raw and multipart), so they all refuse the same way.
 */
export interface ImageCase {
  name: string;
  make(): Promise<{ bytes: Buffer; mime: string }>;
  expected: { status: number; code: string; message?: RegExp };
}

const svgAsPng = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="800" height="800"><rect width="800" height="800"/></svg>');

export async function animatedWebp(): Promise<Buffer> {
  const frames = await Promise.all(
    ["#f00", "#0f0"].map((background) =>
      sharp({ create: { width: 400, height: 500, channels: 3, background } })
        .png()
        .toBuffer(),
    ),
  );
  return sharp(frames, { join: { animated: true } })
    .webp()
    .toBuffer();
}

/** A PNG header claiming a gigantic canvas, with no pixel data behind it. */
async function forgedHugePng(): Promise<Buffer> {
  const header = await sharp({ create: { width: 400, height: 400, channels: 3, background: "#888" } })
    .png()
    .toBuffer();
  const forged = Buffer.from(header);
  forged.writeUInt32BE(100_000, 16);
  forged.writeUInt32BE(100_000, 20);
  return forged;
}

export function hostileImageCases(): ImageCase[] {
  return [
    {
      name: "text claiming to be a PNG",
      make: async () => ({ bytes: Buffer.from("hello world, not an image"), mime: "image/png" }),
      expected: { status: 415, code: "image_type" },
    },
    {
      name: "SVG disguised as PNG",
      make: async () => ({ bytes: svgAsPng, mime: "image/png" }),
      expected: { status: 415, code: "image_type", message: /markup/ },
    },
    {
      name: "a GIF",
      make: async () => ({
        bytes: await sharp({ create: { width: 400, height: 400, channels: 3, background: "#888" } })
          .gif()
          .toBuffer(),
        mime: "image/gif",
      }),
      expected: { status: 415, code: "image_type", message: /GIF/ },
    },
    {
      name: "short side of 300 px",
      make: async () => ({ bytes: await makePortrait({ width: 300, height: 400, format: "png" }), mime: "image/png" }),
      expected: { status: 422, code: "image_too_small", message: /300×400/ },
    },
    {
      name: "aspect wider than 5:2",
      make: async () => ({ bytes: await makePortrait({ width: 1300, height: 500 }), mime: "image/jpeg" }),
      expected: { status: 422, code: "image_aspect" },
    },
    {
      name: "truncated JPEG",
      make: async () => {
        const whole = await makePortrait();
        return { bytes: whole.subarray(0, Math.floor(whole.length / 2)), mime: "image/jpeg" };
      },
      expected: { status: 422, code: "invalid_image", message: /truncated|damaged/ },
    },
    {
      name: "an animated WebP",
      make: async () => ({ bytes: await animatedWebp(), mime: "image/webp" }),
      expected: { status: 422, code: "invalid_image", message: /Animated/ },
    },
    {
      name: "a tiny file declaring 100000×100000 px (refused from its header)",
      make: async () => ({ bytes: await forgedHugePng(), mime: "image/png" }),
      expected: { status: 413, code: "image_too_large", message: /100000×100000/ },
    },
    {
      name: "an image of 20 MB or more (refused before decoding)",
      make: async () => ({ bytes: Buffer.alloc(20 * 1024 * 1024 + 3, 1), mime: "image/jpeg" }),
      expected: { status: 413, code: "image_too_large", message: /20 MB/ },
    },
  ];
}
