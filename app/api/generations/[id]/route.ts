import { updateGenerationBodySchema } from "@/lib/contracts/generation";
import { generationPresenter } from "@/lib/generations/present-generations";
import { parseOrThrow } from "@/lib/http/parse";
import { readJsonBody } from "@/lib/http/read-body";
import { handle } from "@/lib/http/respond";
import { generationIdFrom, type IdParams } from "@/lib/http/route-params";
import { requireOwner } from "@/lib/server/owner";
import { services } from "@/lib/server/services";

/** Reads the store only: however many browsers watch, the provider is polled by the tracker alone. */
export const GET = handle(async (request: Request, context: IdParams) => {
  await requireOwner(request);
  const id = await generationIdFrom(context);
  const sources = await services();
  return Response.json(await generationPresenter(sources).presentOne(await sources.generations.get(id)), { headers: { "Cache-Control": "no-store" } });
});

/** The generation and everything made from it; a take leaves its set (the other takes and the shared portrait stay). */
export const DELETE = handle(async (request: Request, context: IdParams) => {
  await requireOwner(request, { mutation: true });
  const id = await generationIdFrom(context);
  await (await services()).removeGenerations([id], { mustExist: true });
  return new Response(null, { status: 204 });
});

/** Owner settings: for now, whether the share page shows the prompt. */
export const PATCH = handle(async (request: Request, context: IdParams) => {
  await requireOwner(request, { mutation: true });
  const id = await generationIdFrom(context);
  const body = parseOrThrow(updateGenerationBodySchema, await readJsonBody(request, 4 * 1024));
  const sources = await services();
  return Response.json(await generationPresenter(sources).presentOne(await sources.generations.setHidePrompt(id, body.hidePrompt)));
});
