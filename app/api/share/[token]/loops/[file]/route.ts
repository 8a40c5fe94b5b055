import { handle } from "@/lib/http/respond";
import { sharedGenerationFrom } from "@/lib/server/shared-videos";
import { requireSharedLoops, serveLoop } from "@/lib/http/loop-routes";
import { services } from "@/lib/server/services";

type Params = { params: Promise<{ token: string; file: string }> };

/** Public, while the owner allows it: a made loop as a download. */
export const GET = handle(async (request: Request, context: Params) => {
  const record = await sharedGenerationFrom(context);
  const { file } = await context.params;
  const { media, derivatives } = await services();
  await requireSharedLoops(derivatives, record);
  return serveLoop(derivatives, media, record, request, file, true);
});
