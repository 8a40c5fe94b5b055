import { toGenerationView } from "@/lib/generations/to-generation-view";
import { handle } from "@/lib/http/respond";
import { generationIdFrom, type IdParams } from "@/lib/http/route-params";
import { requireOwner } from "@/lib/security/access";
import { services } from "@/lib/server/services";

/** A new share link; the previous one stops working at once. */
export const POST = handle(async (request: Request, context: IdParams) => {
  await requireOwner(request, { mutation: true });
  const id = await generationIdFrom(context);
  const { generations, viewContext } = await services();
  return Response.json(toGenerationView(await generations.renewShareLink(id), viewContext));
});

/** Revokes the share link. */
export const DELETE = handle(async (request: Request, context: IdParams) => {
  await requireOwner(request, { mutation: true });
  const id = await generationIdFrom(context);
  const { generations, viewContext } = await services();
  return Response.json(toGenerationView(await generations.revokeShareLink(id), viewContext));
});
