import { assertSameOrigin } from "@/lib/security/same-origin";
import { handle } from "@/lib/http/respond";
import type { TokenParams } from "@/lib/http/route-params";
import { sharedGenerationFrom } from "@/lib/server/shared-videos";
import { sharedLoopsPath } from "@/lib/contracts/paths";
import { listLoops, requestLoop, requireSharedLoops } from "@/lib/http/loop-routes";
import { services } from "@/lib/server/services";

/** Public, while the owner allows it: the loops made from the shared video. */
export const GET = handle(async (_request: Request, context: TokenParams) => {
  const record = await sharedGenerationFrom(context);
  const { derivatives } = await services();
  await requireSharedLoops(derivatives, record);
  return listLoops(derivatives, record, sharedLoopsPath((await context.params).token));
});

/** Public, while the owner allows it: asks for a loop (made once per video, format and ping-pong). */
export const POST = handle(async (request: Request, context: TokenParams) => {
  assertSameOrigin(request);
  const record = await sharedGenerationFrom(context);
  const { derivatives } = await services();
  await requireSharedLoops(derivatives, record);
  return requestLoop(derivatives, record, request, sharedLoopsPath((await context.params).token));
});
