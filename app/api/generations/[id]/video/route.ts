import { renditionSchema } from "@/lib/contracts/derived-media";
import { downloadFileName } from "@/lib/generations/download-name";
import { parseOrThrow } from "@/lib/http/parse";
import { handle } from "@/lib/http/respond";
import { generationIdFrom, type IdParams } from "@/lib/http/route-params";
import { serveMedia } from "@/lib/http/serve-media";
import { cacheFor } from "@/lib/http/media-cache";
import { playableVideo } from "@/lib/media/derivatives/derived-media";
import { requireOwner } from "@/lib/server/owner";
import { services } from "@/lib/server/services";

/** Plays the index-first remux (or `?rendition=light`); `?download=1` is the provider's file, byte for byte. */
export const GET = handle(async (request: Request, context: IdParams) => {
  await requireOwner(request);
  const id = await generationIdFrom(context);
  const { generations, media, derivatives } = await services();
  const record = await generations.get(id);
  const query = new URL(request.url).searchParams;
  const download = query.get("download") === "1";
  const rendition = parseOrThrow(renditionSchema, query.get("rendition") ?? undefined, "invalid_param");
  const served = await playableVideo(derivatives, record, { rendition, download });
  return serveMedia(request, {
    media,
    key: served.key,
    contentType: "video/mp4",
    downloadName: download ? downloadFileName(record) : undefined,
    cacheControl: cacheFor(served, false),
  });
});
