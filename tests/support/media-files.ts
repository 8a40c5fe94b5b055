import { spawnSync } from "node:child_process";
import { cachedTestPattern, ffmpegBinary } from "../../bench/support/test-pattern-clip";
import { createHash } from "node:crypto";

export { ffmpegBinary };

/**
 * A provider-like MP4 with its index (moov) at the END, as many encoders write it: 6 s,
 * 720×960, made once per machine with the shipped ffmpeg.
 */
export const moovAtEndClip = (): string =>
  cachedTestPattern("portrait-live-moov-at-end-v1.mp4", { size: "720x960", rate: 24, seconds: 6, args: ["-pix_fmt", "yuv420p", "-f", "mp4"] });

/** The top-level ISO-BMFF boxes of an MP4, in file order. */
export function topLevelBoxes(data: Buffer): string[] {
  const boxes: string[] = [];
  let offset = 0;
  while (offset + 8 <= data.length) {
    let size = data.readUInt32BE(offset);
    const type = data.subarray(offset + 4, offset + 8).toString("latin1");
    if (size === 1) size = Number(data.readBigUInt64BE(offset + 8));
    else if (size === 0) size = data.length - offset;
    if (size < 8) throw new Error(`bad box size ${size} at ${offset}`);
    boxes.push(type);
    offset += size;
  }
  return boxes;
}

/** The md5 of every decoded video frame (`ffmpeg -f framemd5`), in order. */
export function frameHashes(file: string): string[] {
  const result = spawnSync(ffmpegBinary(), ["-hide_banner", "-loglevel", "error", "-i", file, "-map", "0:v:0", "-f", "framemd5", "-"], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`ffmpeg framemd5 failed: ${result.stderr}`);
  return result.stdout
    .split("\n")
    .filter((line) => line.trim() && !line.startsWith("#"))
    .map((line) => line.split(",").at(-1)?.trim() ?? "");
}

/** Width and height of a video's first stream, as ffmpeg reads them. */
export function videoSize(file: string): { width: number; height: number } {
  const result = spawnSync(ffmpegBinary(), ["-hide_banner", "-i", file], { encoding: "utf8" });
  const match = /Video: [^\n]*?, (\d+)x(\d+)[\s,[]/.exec(result.stderr);
  if (!match) throw new Error(`no video stream: ${result.stderr}`);
  return { width: Number(match[1]), height: Number(match[2]) };
}

export const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");

/** Image descriptors (0x2C after a graphic control extension) in a GIF: one per frame. */
export function gifFrameCount(data: Buffer): number {
  let count = 0;
  for (let i = 0; i + 8 < data.length; i++) {
    // Graphic Control Extension: 21 F9 04 <4 bytes> 00, then the frame's image descriptor.
    if (data[i] === 0x21 && data[i + 1] === 0xf9 && data[i + 2] === 0x04 && data[i + 7] === 0x00 && data[i + 8] === 0x2c) count++;
  }
  return count;
}

/** The chunk types of a RIFF/WebP file, in order (ANMF frames counted, not listed inside). */
export function webpChunks(data: Buffer): string[] {
  if (data.subarray(0, 4).toString("latin1") !== "RIFF" || data.subarray(8, 12).toString("latin1") !== "WEBP") throw new Error("not a WebP file");
  const chunks: string[] = [];
  let offset = 12;
  while (offset + 8 <= data.length) {
    const type = data.subarray(offset, offset + 4).toString("latin1");
    const size = data.readUInt32LE(offset + 4);
    chunks.push(type);
    offset += 8 + size + (size % 2);
  }
  return chunks;
}
