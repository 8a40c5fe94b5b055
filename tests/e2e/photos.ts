import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { makePortrait } from "../support/portraits";

const DIR = path.resolve("test-results/photos");

export interface Photos {
  portrait: string;
  rotatedExif: string;
  huge: string;
  tooSmall: string;
  notAnImage: string;
}

/** Real photo files made with sharp, written once per run. */
export async function photos(): Promise<Photos> {
  mkdirSync(DIR, { recursive: true });
  const file = (name: string, data: Buffer | string) => {
    const target = path.join(DIR, name);
    writeFileSync(target, data);
    return target;
  };
  return {
    portrait: file("portrait.jpg", await makePortrait({ width: 900, height: 1200 })),
    // Stored landscape (800×600) with EXIF orientation 6: an upright portrait is 600×800.
    rotatedExif: file("rotated-exif.jpg", await makePortrait({ width: 800, height: 600, exifOrientation: 6 })),
    huge: file("huge-6000x4000.jpg", await sharp(await makePortrait({ width: 1500, height: 1000 })).resize(6000, 4000).jpeg({ quality: 85 }).toBuffer()),
    tooSmall: file("too-small.png", await makePortrait({ width: 300, height: 400, format: "png" })),
    notAnImage: file("notes.png", "These are meeting notes, not a picture.\n"),
  };
}
