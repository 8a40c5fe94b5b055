import { createGenerationBodySchema, generationListQuerySchema, type GenerationList } from "@/lib/contracts/generation";
import { generationPresenter } from "@/lib/generations/present-generations";
import { idempotencyKeyFrom } from "@/lib/http/idempotency";
import { MAX_CREATE_BODY_BYTES } from "@/lib/http/limits";
import { parseOrThrow } from "@/lib/http/parse";
import { readJsonBody } from "@/lib/http/read-body";
import { refuseCreateEarly } from "@/lib/http/refuse-create-early";
import { handle } from "@/lib/http/respond";
import { requireOwner } from "@/lib/server/owner";
import { clientKey } from "@/lib/security/client-key";
import { services } from "@/lib/server/services";

export const POST = handle(async (request: Request) => {
  await requireOwner(request, { mutation: true });
  const idempotencyKey = idempotencyKeyFrom(request);
  const sources = await services();
  const requester = { idempotencyKey, clientKey: clientKey(request) };
  await refuseCreateEarly(sources.guard, requester, (key) => sources.repository.findByIdempotencyKey(key));
  const body = parseOrThrow(createGenerationBodySchema, await readJsonBody(request, MAX_CREATE_BODY_BYTES));
  const { record, created } = await sources.generations.create(body, requester);
  return Response.json(await generationPresenter(sources).presentOne(record), { status: created ? 201 : 200 });
});

export const GET = handle(async (request: Request) => {
  await requireOwner(request);
  const searchParams = Object.fromEntries(new URL(request.url).searchParams);
  const query = parseOrThrow(generationListQuerySchema, searchParams, "invalid_param");
  const sources = await services();
  const page = await sources.generations.list(query);
  const body: GenerationList = { items: await generationPresenter(sources).present(page.items), nextCursor: page.nextCursor };
  return Response.json(body, { headers: { "Cache-Control": "no-store" } });
});
