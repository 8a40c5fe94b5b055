import { handle } from "@/lib/http/respond";
import { generationIdFrom } from "@/lib/http/route-params";
import { serveLoop } from "@/lib/http/loop-routes";
import { requireOwner } from "@/lib/server/owner";
import { services } from "@/lib/server/services";

type Params = { params: Promise<{ id: string; file: string }> };

/** A made loop, as a download (`loop.gif`, `loop-pingpong.webp`, ...). */
export const GET = handle(async (request: Request, context: Params) => {
  await requireOwner(request);
  const id = await generationIdFrom(context);
  const { file } = await context.params;
  const { generations, media, derivatives } = await services();
  return serveLoop(derivatives, media, await generations.get(id), request, file, false);
});
