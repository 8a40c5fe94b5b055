import type { MediaToServe } from "@/lib/media/derivatives/derived-media";

/** Cache headers: derived files under their URL never change; stand-ins are revalidated every time. */
export const cacheFor = (served: Pick<MediaToServe, "final">, shared: boolean) =>
  shared ? "public, no-cache" : served.final ? "private, max-age=31536000, immutable" : "private, no-cache";
