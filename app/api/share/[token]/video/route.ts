import { renditionSchema } from "@/lib/contracts/derived-media";
import { parseOrThrow } from "@/lib/http/parse";
import { handle } from "@/lib/http/respond";
import { serveMedia } from "@/lib/http/serve-media";
import type { TokenParams } from "@/lib/http/route-params";
import { sharedGenerationFrom } from "@/lib/server/shared-videos";
import { cacheFor } from "@/lib/http/media-cache";
import { playableVideo } from "@/lib/media/derivatives/derived-media";
import { services } from "@/lib/server/services";

/** Public: the video behind a live share link, from our storage (never the provider's expiring link). */
export const GET = handle(async (request: Request, context: TokenParams) => {
  const record = await sharedGenerationFrom(context);
  const { media, derivatives } = await services();
  const rendition = parseOrThrow(renditionSchema, new URL(request.url).searchParams.get("rendition") ?? undefined, "invalid_param");
  const served = await playableVideo(derivatives, record, { rendition, download: false });
  // Revalidated on every use so a revoked link stops at once, yet cheap through the ETag.
  return serveMedia(request, { media, key: served.key, contentType: "video/mp4", cacheControl: cacheFor(served, true) });
});
