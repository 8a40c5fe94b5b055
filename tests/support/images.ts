import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { makePortrait } from "./portraits";

const DIR = path.resolve("test-results/photos");

export interface TestImages {
  /** 900×1200 JPEG. */
  portrait: string;
  /** Stored landscape (800×600) with EXIF orientation 6: an upright portrait is 600×800. */
  rotatedExif: string;
  /** 6000×4000 JPEG (24 MP). */
  huge: string;
  /**
   * 24 MP stored landscape (6000×4000) with EXIF orientation 6: upright it is 4000×6000,
   * with red, green and blue vertical bands and a white line down x = 2000 (upright pixels),
   * so an upload shows exactly which part of the photo it was cut from.
   */
  bandsRotated: string;
  /** 300×400 PNG: its short side is not over 300 px. */
  tooSmall: string;
  /** 480×1440 JPEG: tall and narrow, large enough for only a few frame shapes. */
  narrow: string;
  /** A GIF named .png: the name and the claimed type must not fool the check. */
  gifNamedPng: string;
  /** Text named .png. */
  notAnImage: string;
  /** The start of an HEIC file (ftyp box). */
  heic: string;
  /** JPEG magic number, then nothing a decoder can use. */
  damagedJpeg: string;
  /** A JPEG header padded to 21 MB: over the 20 MB limit. */
  oversized: string;
}

let made: Promise<TestImages> | undefined;

/** Real image files made with sharp at test time, written once per test process. */
export function testImages(): Promise<TestImages> {
  made ??= makeTestImages();
  return made;
}

async function makeTestImages(): Promise<TestImages> {
  mkdirSync(DIR, { recursive: true });
  const file = (name: string, data: Buffer | string) => {
    const target = path.join(DIR, name);
    writeFileSync(target, data);
    return target;
  };
  const heicHead = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from("ftypheic"), Buffer.alloc(0x18 - 12)]);
  return {
    portrait: file("portrait.jpg", await makePortrait({ width: 900, height: 1200 })),
    rotatedExif: file("rotated-exif.jpg", await makePortrait({ width: 800, height: 600, exifOrientation: 6 })),
    huge: file(
      "huge-6000x4000.jpg",
      await sharp(await makePortrait({ width: 1500, height: 1000 }))
        .resize(6000, 4000)
        .jpeg({ quality: 85 })
        .toBuffer(),
    ),
    bandsRotated: file("bands-rotated-exif.jpg", await bandsRotated()),
    tooSmall: file("too-small.png", await makePortrait({ width: 300, height: 400, format: "png" })),
    narrow: file("narrow-480x1440.jpg", await makePortrait({ width: 480, height: 1440 })),
    gifNamedPng: file(
      "animation.png",
      await sharp({ create: { width: 400, height: 400, channels: 3, background: "#88aacc" } })
        .gif()
        .toBuffer(),
    ),
    notAnImage: file("notes.png", "These are meeting notes, not a picture.\n"),
    heic: file("IMG_0001.heic", Buffer.concat([heicHead, Buffer.alloc(4096)])),
    damagedJpeg: file("damaged.jpg", Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(4096, 0x41)])),
    oversized: file("oversized.jpg", Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(21 * 1024 * 1024)])),
  };
}

export const BANDS = { width: 4000, height: 6000, lineX: 2000, lineHalfWidth: 12 } as const;

async function bandsRotated(): Promise<Buffer> {
  const { width, height, lineX, lineHalfWidth } = BANDS;
  const upright = Buffer.alloc(width * height * 3);
  for (let x = 0; x < width; x++) {
    const colour = Math.abs(x - lineX) <= lineHalfWidth ? [255, 255, 255] : x < width / 3 ? [220, 0, 0] : x < (2 * width) / 3 ? [0, 200, 0] : [0, 0, 220];
    for (let y = 0; y < height; y++) upright.set(colour, (y * width + x) * 3);
  }
  // Stored turned a quarter to the left; orientation 6 tells viewers to turn it back.
  return sharp(upright, { raw: { width, height, channels: 3 } })
    .rotate(270)
    .jpeg({ quality: 90 })
    .withMetadata({ orientation: 6 })
    .toBuffer();
}
