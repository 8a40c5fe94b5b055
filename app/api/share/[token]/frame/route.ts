import { frameSizeSchema } from "@/lib/contracts/derived-media";
import { parseOrThrow } from "@/lib/http/parse";
import { handle } from "@/lib/http/respond";
import { serveMedia } from "@/lib/http/serve-media";
import type { TokenParams } from "@/lib/http/route-params";
import { sharedGenerationFrom } from "@/lib/server/shared-videos";
import { cacheFor } from "@/lib/http/media-cache";
import { frameImage } from "@/lib/media/derivatives/derived-media";
import { services } from "@/lib/server/services";

/** Public: the shared player's poster, the video's first frame once made (the portrait until then); `?size=small` the preview. */
export const GET = handle(async (request: Request, context: TokenParams) => {
  const record = await sharedGenerationFrom(context);
  const size = parseOrThrow(frameSizeSchema, new URL(request.url).searchParams.get("size") ?? undefined, "invalid_param");
  const { media, derivatives } = await services();
  const served = await frameImage(derivatives, record, size);
  return serveMedia(request, { media, key: served.key, contentType: served.contentType, cacheControl: cacheFor(served, true) });
});
