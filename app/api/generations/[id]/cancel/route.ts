import { toGenerationView } from "@/lib/generations/to-generation-view";
import { handle } from "@/lib/http/respond";
import { generationIdFrom, type IdParams } from "@/lib/http/route-params";
import { requireOwner } from "@/lib/security/access";
import { services } from "@/lib/server/services";

/** A generation still waiting in the queue leaves it (failed as cancelled; nothing charged). */
export const POST = handle(async (request: Request, context: IdParams) => {
  await requireOwner(request, { mutation: true });
  const id = await generationIdFrom(context);
  const { queue, generations, viewContext } = await services();
  await queue.cancel(id);
  return Response.json(toGenerationView(await generations.get(id), viewContext));
});
