import { oembedQuerySchema } from "@/lib/contracts/oembed";
import { ApiError, notFound } from "@/lib/errors";
import { parseOrThrow } from "@/lib/http/parse";
import { handle } from "@/lib/http/respond";
import { isOwnHost } from "@/lib/security/allowed-host";
import { publicOrigin } from "@/lib/server/public-origin";
import { sharedVideoFor } from "@/lib/server/shared-videos";
import { oembedVideo, shareTokenFromUrl } from "@/lib/share/oembed";

/** Public oEmbed endpoint (JSON only): how Notion, blogs and other consumers embed a shared video. */
export const GET = handle(async (request: Request) => {
  const query = parseOrThrow(oembedQuerySchema, Object.fromEntries(new URL(request.url).searchParams), "invalid_param");
  if (query.format !== "json") throw new ApiError("not_implemented", "Only format=json is available.", "format");
  const token = shareTokenFromUrl(query.url, isOwnHost);
  const shared = token ? await sharedVideoFor(token) : undefined;
  if (!shared) throw notFound("shared video at that url");
  const answer = oembedVideo(shared.card, await publicOrigin(), query);
  return Response.json(answer, {
    headers: { "Cache-Control": "no-cache", "Access-Control-Allow-Origin": "*", "X-Content-Type-Options": "nosniff" },
  });
});
