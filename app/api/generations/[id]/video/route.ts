import { ApiError } from "@/lib/errors";
import { downloadFileName } from "@/lib/generations/download-name";
import { handle } from "@/lib/http/respond";
import { generationIdFrom, type IdParams } from "@/lib/http/route-params";
import { serveMedia } from "@/lib/http/serve-media";
import { requireOwner } from "@/lib/security/access";
import { services } from "@/lib/server/services";

export const GET = handle(async (request: Request, context: IdParams) => {
  await requireOwner(request);
  const id = await generationIdFrom(context);
  const { generations, media } = await services();
  const record = await generations.get(id);
  if (record.status !== "succeeded" || !record.resultKey) {
    throw new ApiError("not_ready", "The video is not ready yet.");
  }
  const download = new URL(request.url).searchParams.get("download") === "1";
  return serveMedia(request, {
    media,
    key: record.resultKey,
    contentType: "video/mp4",
    downloadName: download ? downloadFileName(record) : undefined,
  });
});
