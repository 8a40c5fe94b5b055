import { createGenerationBodySchema, generationListQuerySchema, type GenerationList } from "@/lib/contracts/generation";
import { generationViewFor } from "@/lib/generations/generation-view-for";
import { toGenerationView } from "@/lib/generations/to-generation-view";
import { idempotencyKeyFrom } from "@/lib/http/idempotency";
import { MAX_CREATE_BODY_BYTES } from "@/lib/http/limits";
import { parseOrThrow } from "@/lib/http/parse";
import { readJsonBody } from "@/lib/http/read-body";
import { refuseCreateEarly } from "@/lib/http/refuse-create-early";
import { handle } from "@/lib/http/respond";
import { requireOwner } from "@/lib/security/access";
import { clientKey } from "@/lib/security/client-key";
import { services } from "@/lib/server/services";
import { annotateViews } from "@/lib/takes/annotate-views";

export const POST = handle(async (request: Request) => {
  await requireOwner(request, { mutation: true });
  const idempotencyKey = idempotencyKeyFrom(request);
  const sources = await services();
  const requester = { idempotencyKey, clientKey: clientKey(request) };
  await refuseCreateEarly(sources, requester);
  const body = parseOrThrow(createGenerationBodySchema, await readJsonBody(request, MAX_CREATE_BODY_BYTES));
  const { record, created } = await sources.generations.create(body, requester);
  return Response.json(await generationViewFor(record, sources), { status: created ? 201 : 200 });
});

export const GET = handle(async (request: Request) => {
  await requireOwner(request);
  const searchParams = Object.fromEntries(new URL(request.url).searchParams);
  const query = parseOrThrow(generationListQuerySchema, searchParams, "invalid_param");
  const { generations, viewContext, takes, queue } = await services();
  const page = await generations.list(query);
  const body: GenerationList = {
    items: await annotateViews(
      page.items.map((record) => toGenerationView(record, viewContext)),
      { takes, queue },
    ),
    nextCursor: page.nextCursor,
  };
  return Response.json(body, { headers: { "Cache-Control": "no-store" } });
});
