import { updateTakeSetBodySchema } from "@/lib/contracts/takes";
import { generationPresenter } from "@/lib/generations/present-generations";
import { parseOrThrow } from "@/lib/http/parse";
import { readJsonBody } from "@/lib/http/read-body";
import { handle } from "@/lib/http/respond";
import { takeSetIdFrom, type IdParams } from "@/lib/http/route-params";
import { requireOwner } from "@/lib/server/owner";
import { services } from "@/lib/server/services";
import { toTakeSetView, type TakeSetWithRecords } from "@/lib/takes/take-service";

async function answer(taken: TakeSetWithRecords): Promise<Response> {
  const view = await toTakeSetView(taken, generationPresenter(await services()).present);
  return Response.json(view, { headers: { "Cache-Control": "no-store" } });
}

export const GET = handle(async (request: Request, context: IdParams) => {
  await requireOwner(request);
  const id = await takeSetIdFrom(context);
  return answer(await (await services()).takes.get(id));
});

/** `{ favouriteId }`: the take shown first in history and shared; null clears it. */
const setFavourite = handle(async (request: Request, context: IdParams) => {
  await requireOwner(request, { mutation: true });
  const id = await takeSetIdFrom(context);
  const body = parseOrThrow(updateTakeSetBodySchema, await readJsonBody(request, 4 * 1024));
  return answer(await (await services()).takes.setFavourite(id, body.favouriteId));
});
export const PUT = setFavourite;
export const PATCH = setFavourite;

/** The set and all its takes, each removed as its own DELETE would remove it. */
export const DELETE = handle(async (request: Request, context: IdParams) => {
  await requireOwner(request, { mutation: true });
  const id = await takeSetIdFrom(context);
  await (await services()).takes.remove(id);
  return new Response(null, { status: 204 });
});
