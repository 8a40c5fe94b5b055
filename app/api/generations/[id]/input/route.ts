import { handle } from "@/lib/http/respond";
import { generationIdFrom, type IdParams } from "@/lib/http/route-params";
import { serveMedia } from "@/lib/http/serve-media";
import { requireOwner } from "@/lib/server/owner";
import { services } from "@/lib/server/services";

/** The cropped portrait as sent upstream (upright, metadata stripped). */
export const GET = handle(async (request: Request, context: IdParams) => {
  await requireOwner(request);
  const id = await generationIdFrom(context);
  const { generations, media, uploads } = await services();
  const record = await generations.get(id);
  // A failed generation's portrait is swept a full UPLOAD_TTL_HOURS after it failed: say so, not just "not available".
  if (record.uploadId === null && !(await media.stat(record.inputKey))) throw uploads.portraitRemoved();
  return serveMedia(request, { media, key: record.inputKey, contentType: "image/jpeg" });
});
