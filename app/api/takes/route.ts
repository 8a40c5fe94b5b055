import { createTakesBodySchema } from "@/lib/contracts/takes";
import { toGenerationView } from "@/lib/generations/to-generation-view";
import { idempotencyKeyFrom } from "@/lib/http/idempotency";
import { MAX_CREATE_BODY_BYTES } from "@/lib/http/limits";
import { parseOrThrow } from "@/lib/http/parse";
import { readJsonBody } from "@/lib/http/read-body";
import { handle } from "@/lib/http/respond";
import { requireOwner } from "@/lib/server/owner";
import { clientKey } from "@/lib/security/client-key";
import { services } from "@/lib/server/services";
import { toTakeSetView } from "@/lib/takes/take-service";

/** Several takes from one portrait: admitted whole or refused whole; Idempotency-Key replays the same set. */
export const POST = handle(async (request: Request) => {
  await requireOwner(request, { mutation: true });
  const idempotencyKey = idempotencyKeyFrom(request);
  const body = parseOrThrow(createTakesBodySchema, await readJsonBody(request, MAX_CREATE_BODY_BYTES));
  const { takes, queue, viewContext } = await services();
  const { taken, created } = await takes.create(body, { idempotencyKey, clientKey: clientKey(request) });
  const view = toTakeSetView(taken, (record) => toGenerationView(record, viewContext));
  return Response.json({ ...view, generations: await queue.withPlaces(view.generations) }, { status: created ? 201 : 200 });
});
