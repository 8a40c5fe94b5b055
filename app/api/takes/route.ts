import { createTakesBodySchema } from "@/lib/contracts/takes";
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
import { toTakeSetView } from "@/lib/takes/take-service";

/** Several takes from one portrait: admitted whole or refused whole; Idempotency-Key replays the same set. */
export const POST = handle(async (request: Request) => {
  await requireOwner(request, { mutation: true });
  const idempotencyKey = idempotencyKeyFrom(request);
  const sources = await services();
  const requester = { idempotencyKey, clientKey: clientKey(request) };
  await refuseCreateEarly(sources.guard, requester, (key) => sources.takeStore.findByIdempotencyKey(key));
  const body = parseOrThrow(createTakesBodySchema, await readJsonBody(request, MAX_CREATE_BODY_BYTES));
  const { taken, created } = await sources.takes.create(body, requester);
  return Response.json(await toTakeSetView(taken, generationPresenter(sources).present), { status: created ? 201 : 200 });
});
