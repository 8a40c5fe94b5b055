import { generationPresenter } from "@/lib/generations/present-generations";
import { idempotencyKeyFrom } from "@/lib/http/idempotency";
import { handle } from "@/lib/http/respond";
import { generationIdFrom, type IdParams } from "@/lib/http/route-params";
import { requireOwner } from "@/lib/server/owner";
import { clientKey } from "@/lib/security/client-key";
import { services } from "@/lib/server/services";

/** Same crop, prompt and options as a new generation; honours Idempotency-Key like create. */
export const POST = handle(async (request: Request, context: IdParams) => {
  await requireOwner(request, { mutation: true });
  const id = await generationIdFrom(context);
  const idempotencyKey = idempotencyKeyFrom(request);
  const sources = await services();
  const { record, created } = await sources.generations.rerun(id, { idempotencyKey, clientKey: clientKey(request) });
  return Response.json(await generationPresenter(sources).presentOne(record), { status: created ? 201 : 200 });
});
