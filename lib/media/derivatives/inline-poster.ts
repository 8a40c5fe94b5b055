import "server-only";
import { log } from "@/lib/log";
import type { MediaStore } from "@/lib/media/media-store";
import type { DerivativeService } from "./derivative-service";
import { INLINE_POSTER_MAX_BYTES } from "./derivative-sizes";

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
