import { handle } from "@/lib/http/respond";
import { serveMedia } from "@/lib/http/serve-media";
import { sharedGenerationFrom, type TokenParams } from "@/lib/http/find-shared-generation";
import { services } from "@/lib/server/services";

/** Public: the video behind a live share link, from our storage (never the provider's expiring link). */
export const GET = handle(async (request: Request, context: TokenParams) => {
  const record = await sharedGenerationFrom(context);
  const { media } = await services();
  // Revalidated on every use so a revoked link stops at once, yet cheap through the ETag.
  return serveMedia(request, { media, key: record.resultKey ?? "", contentType: "video/mp4", cacheControl: "public, no-cache" });
});
