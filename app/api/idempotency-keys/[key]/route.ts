import { idempotencyKeySchema } from "@/lib/contracts/idempotency-key";
import { findCreatedByKey } from "@/lib/generations/created-by-key";
import { parseOrThrow } from "@/lib/http/parse";
import { handle } from "@/lib/http/respond";
import { requireOwner } from "@/lib/server/owner";
import { services } from "@/lib/server/services";

type KeyParams = { params: Promise<{ key: string }> };

const lookUp = handle(async (request: Request, context: KeyParams) => {
  await requireOwner(request);
  const key = parseOrThrow(idempotencyKeySchema, (await context.params).key, "invalid_param");
  const { repository, takeStore } = await services();
  return Response.json(await findCreatedByKey(key, { generations: repository, takeSets: takeStore }));
});

/**
 * What a create sent with this Idempotency-Key made, asked by a browser that lost the
 * create's answer. No answer is kept by a cache, a 404 least of all: the create may still land.
 */
export const GET = async (request: Request, context: KeyParams) => {
  const answer = await lookUp(request, context);
  answer.headers.set("Cache-Control", "no-store");
  return answer;
};
