import "server-only";
import type { GenerationRecord } from "@/lib/generations/generation-record";
import type { MediaStore } from "@/lib/media/media-store";
import type { DerivativeService } from "./derivative-service";

/**
 * The most a page carries inline for its poster. On a phone's link (about 200 KB/s) a
 * separate request for the picture shares the line with the page's scripts and arrives
 * after them; inside the HTML it shows with the first paint (P12). The page's data repeats
 * it once more, so the cost to each visitor is about twice this.
 */
export const INLINE_POSTER_MAX_BYTES = 20 * 1024;

const MAX_REMEMBERED = 200;
/** A derived file never changes under its key, so its data URL can be kept (at most ~4 MB here). */
const remembered = new Map<string, string>();

/** The preview frame as a data URL, once made and small enough; null otherwise (pages then link it). */
export async function inlinePoster(derivatives: DerivativeService, media: MediaStore, record: GenerationRecord): Promise<string | null> {
  const key = await derivatives.readyKey(record, "preview");
  if (!key) return null;
  const known = remembered.get(key);
  if (known) return known;
  const bytes = await readSmall(media, key);
  if (!bytes) return null;
  const dataUrl = `data:image/webp;base64,${bytes.toString("base64")}`;
  if (remembered.size >= MAX_REMEMBERED) remembered.delete(remembered.keys().next().value ?? "");
  remembered.set(key, dataUrl);
  return dataUrl;
}

async function readSmall(media: MediaStore, key: string): Promise<Buffer | null> {
  const info = await media.stat(key);
  if (!info || info.bytes > INLINE_POSTER_MAX_BYTES) return null;
  const chunks: Buffer[] = [];
  for await (const chunk of await media.read(key)) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}
