import "server-only";
import type { GenerationRecord } from "@/lib/generations/generation-record";
import type { MediaStore } from "@/lib/media/media-store";
import { readMp4Dimensions, type VideoDimensions } from "@/lib/media/mp4-dimensions";
import { log } from "@/lib/log";
import { outputSize } from "@/lib/upstream/output-size";

const MAX_REMEMBERED = 500;
/** Stored files never change under their key unless rewritten, so (key, size, time) identifies one. */
const remembered = new Map<string, VideoDimensions>();

async function readRange(media: MediaStore, key: string, offset: number, length: number): Promise<Buffer> {
  if (length <= 0) return Buffer.alloc(0);
  const stream = await media.read(key, { start: offset, end: offset + length - 1 });
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

/**
 * The stored video's real frame size, read from its MP4 header (what the provider made,
 * which need not be the 720P size we asked for). Falls back to the size we asked for
 * when the file cannot be read.
 */
export async function sharedVideoSize(record: GenerationRecord, media: MediaStore): Promise<VideoDimensions> {
  const expected = outputSize(record.inputWidth, record.inputHeight);
  if (!record.resultKey) return expected;
  const key = record.resultKey;
  try {
    const info = await media.stat(key);
    if (!info) return expected;
    const id = `${key}:${info.bytes}:${info.modifiedAt.getTime()}`;
    const known = remembered.get(id);
    if (known) return known;
    const probed = await readMp4Dimensions(info.bytes, (offset, length) => readRange(media, key, offset, Math.max(0, Math.min(length, info.bytes - offset))));
    if (!probed) return expected;
    if (remembered.size >= MAX_REMEMBERED) remembered.delete(remembered.keys().next().value ?? "");
    remembered.set(id, probed);
    return probed;
  } catch (error) {
    log().warn({ err: error, key }, "could not read the shared video's size; using the requested size");
    return expected;
  }
}
