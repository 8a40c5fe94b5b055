import { toGenerationView } from "@/lib/generations/generation-view";
import { handle } from "@/lib/http/respond";
import { generationIdFrom, type IdParams } from "@/lib/http/route-params";
import { services } from "@/lib/server/services";

/** A new share link; the previous one stops working at once. */
export const POST = handle(async (_request: Request, context: IdParams) => {
  const id = await generationIdFrom(context);
  const { generations, viewContext } = await services();
  return Response.json(toGenerationView(await generations.renewShareLink(id), viewContext));
});

/** Revokes the share link. */
export const DELETE = handle(async (_request: Request, context: IdParams) => {
  const id = await generationIdFrom(context);
  const { generations, viewContext } = await services();
  return Response.json(toGenerationView(await generations.revokeShareLink(id), viewContext));
});
