/** Reads `length` bytes at `offset` (fewer at the end of the file). */
export type ReadAt = (offset: number, length: number) => Promise<Buffer>;

export interface VideoDimensions {
  width: number;
  height: number;
}

const MAX_TOP_LEVEL_BOXES = 64;
const MAX_MOOV_BYTES = 8 * 1024 * 1024;

/**
 * The displayed size of an MP4's first video track, from its track header (`moov/trak/tkhd`,
 * ISO/IEC 14496-12), reading only box headers and the movie box: a few small reads whether
 * the movie box sits at the start (faststart) or the end. A track rotated by 90° or 270°
 * reports its sides swapped, as players show it. Undefined when the file has no readable video track.
 */
export async function readMp4Dimensions(size: number, readAt: ReadAt): Promise<VideoDimensions | undefined> {
  let offset = 0;
  for (let boxes = 0; boxes < MAX_TOP_LEVEL_BOXES && offset + 8 <= size; boxes++) {
    const head = await readAt(offset, 16);
    if (head.length < 8) return undefined;
    const declared = head.readUInt32BE(0);
    const type = head.toString("latin1", 4, 8);
    const headerBytes = declared === 1 ? 16 : 8;
    const boxBytes = declared === 1 ? Number(head.readBigUInt64BE(8)) : declared === 0 ? size - offset : declared;
    if (boxBytes < headerBytes) return undefined;
    if (type === "moov") {
      if (boxBytes > MAX_MOOV_BYTES) return undefined;
      const moov = await readAt(offset + headerBytes, boxBytes - headerBytes);
      return videoTrackDimensions(moov);
    }
    offset += boxBytes;
  }
  return undefined;
}

/** Child boxes of a container's payload, as [type, payload] pairs. */
function* children(payload: Buffer): Generator<[string, Buffer]> {
  let offset = 0;
  while (offset + 8 <= payload.length) {
    const declared = payload.readUInt32BE(offset);
    const type = payload.toString("latin1", offset + 4, offset + 8);
    const headerBytes = declared === 1 ? 16 : 8;
    const boxBytes = declared === 1 ? Number(payload.readBigUInt64BE(offset + 8)) : declared === 0 ? payload.length - offset : declared;
    if (boxBytes < headerBytes || offset + boxBytes > payload.length) return;
    yield [type, payload.subarray(offset + headerBytes, offset + boxBytes)];
    offset += boxBytes;
  }
}

const child = (payload: Buffer, type: string) => [...children(payload)].find(([name]) => name === type)?.[1];

function videoTrackDimensions(moov: Buffer): VideoDimensions | undefined {
  for (const [type, trak] of children(moov)) {
    if (type !== "trak") continue;
    const hdlr = child(child(trak, "mdia") ?? Buffer.alloc(0), "hdlr");
    if (!hdlr || hdlr.length < 12 || hdlr.toString("latin1", 8, 12) !== "vide") continue;
    const tkhd = child(trak, "tkhd");
    if (!tkhd || tkhd.length < 1) continue;
    // version 0: 32-bit times; version 1: 64-bit. Then the matrix (9 × 4 bytes) and 16.16 width, height.
    const matrixAt = tkhd[0] === 1 ? 52 : 40;
    if (tkhd.length < matrixAt + 44) continue;
    const width = Math.round(tkhd.readUInt32BE(matrixAt + 36) / 65536);
    const height = Math.round(tkhd.readUInt32BE(matrixAt + 40) / 65536);
    if (width <= 0 || height <= 0) continue;
    const quarterTurn = tkhd.readInt32BE(matrixAt) === 0 && tkhd.readInt32BE(matrixAt + 16) === 0;
    return quarterTurn ? { width: height, height: width } : { width, height };
  }
  return undefined;
}
