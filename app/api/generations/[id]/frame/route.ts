import { frameSizeSchema } from "@/lib/contracts/derived-media";
import { parseOrThrow } from "@/lib/http/parse";
import { handle } from "@/lib/http/respond";
import { generationIdFrom, type IdParams } from "@/lib/http/route-params";
import { serveMedia } from "@/lib/http/serve-media";
import { cacheFor } from "@/lib/http/media-cache";
import { frameImage } from "@/lib/media/derivatives/derived-media";
import { requireOwner } from "@/lib/server/owner";
import { services } from "@/lib/server/services";

/** The player's poster: the video's first frame at its size once made (the cropped portrait until then); `?size=small` the preview. */
export const GET = handle(async (request: Request, context: IdParams) => {
  await requireOwner(request);
  const id = await generationIdFrom(context);
  const size = parseOrThrow(frameSizeSchema, new URL(request.url).searchParams.get("size") ?? undefined, "invalid_param");
  const { generations, media, derivatives } = await services();
  const served = await frameImage(derivatives, await generations.get(id), size);
  return serveMedia(request, { media, key: served.key, contentType: served.contentType, cacheControl: cacheFor(served, false) });
});
