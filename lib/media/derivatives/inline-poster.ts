import "server-only";
import { log } from "@/lib/log";
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

/**
 * The preview frame as a data URL, once made and small enough; null otherwise, and on any
 * failure: the inline poster only speeds a page up (it then links the frame), never breaks it.
 */
export async function inlinePoster(
  derivatives: Pick<DerivativeService, "find">,
  media: Pick<MediaStore, "readBuffer">,
  generationId: string,
): Promise<string | null> {
  try {
    const job = await derivatives.find({ generationId, kind: "preview", pingPong: false });
    if (job?.state !== "ready" || !job.mediaKey || (job.bytes ?? Infinity) > INLINE_POSTER_MAX_BYTES) return null;
    const known = remembered.get(job.mediaKey);
    if (known) return known;
    const dataUrl = `data:image/webp;base64,${(await media.readBuffer(job.mediaKey)).toString("base64")}`;
    if (remembered.size >= MAX_REMEMBERED) remembered.delete(remembered.keys().next().value ?? "");
    remembered.set(job.mediaKey, dataUrl);
    return dataUrl;
  } catch (error) {
    log().warn({ err: error, generationId }, "could not read the preview frame; the page links it instead");
    return null;
  }
}
