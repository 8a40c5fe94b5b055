import { generationPresenter } from "@/lib/generations/present-generations";
import { handle } from "@/lib/http/respond";
import { generationIdFrom, type IdParams } from "@/lib/http/route-params";
import { requireOwner } from "@/lib/server/owner";
import { services } from "@/lib/server/services";

/** A generation still waiting in the queue leaves it (failed as cancelled; nothing charged). */
export const POST = handle(async (request: Request, context: IdParams) => {
  await requireOwner(request, { mutation: true });
  const id = await generationIdFrom(context);
  const sources = await services();
  await sources.queue.cancel(id);
  return Response.json(await generationPresenter(sources).presentOne(await sources.generations.get(id)));
});
