import sharp from "sharp";

/** Real encoded photos made at test time: a soft gradient "portrait" with some detail. */
export async function makePortrait(options: {
  width?: number;
  height?: number;
  format?: "jpeg" | "png" | "webp";
  exifOrientation?: number;
} = {}): Promise<Buffer> {
  const { width = 720, height = 960, format = "jpeg" } = options;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#f4c7a1"/><stop offset="1" stop-color="#5b3a29"/></linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#g)"/>
    <ellipse cx="${width / 2}" cy="${height * 0.42}" rx="${width * 0.22}" ry="${height * 0.2}" fill="#e0ac8a"/>
    <circle cx="${width * 0.42}" cy="${height * 0.38}" r="${width * 0.025}" fill="#222"/>
    <circle cx="${width * 0.58}" cy="${height * 0.38}" r="${width * 0.025}" fill="#222"/>
  </svg>`;
  let image = sharp(Buffer.from(svg));
  if (options.exifOrientation) image = image.withMetadata({ orientation: options.exifOrientation });
  return image.toFormat(format, format === "jpeg" ? { quality: 88 } : {}).toBuffer();
}

export const toDataUrl = (bytes: Buffer, mime = "image/jpeg") => `data:${mime};base64,${bytes.toString("base64")}`;
