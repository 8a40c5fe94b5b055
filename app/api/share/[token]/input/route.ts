import { handle } from "@/lib/http/respond";
import { serveMedia } from "@/lib/http/serve-media";
import type { TokenParams } from "@/lib/http/route-params";
import { sharedGenerationFrom } from "@/lib/server/shared-videos";
import { services } from "@/lib/server/services";

/** Public: the cropped portrait a live share link's video was made from. */
export const GET = handle(async (request: Request, context: TokenParams) => {
  const record = await sharedGenerationFrom(context);
  const { media } = await services();
  return serveMedia(request, { media, key: record.inputKey, contentType: "image/jpeg", cacheControl: "public, no-cache" });
});
