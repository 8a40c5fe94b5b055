import { loopSettingsSchema } from "@/lib/contracts/derived-media";
import { parseOrThrow } from "@/lib/http/parse";
import { readJsonBody } from "@/lib/http/read-body";
import { handle } from "@/lib/http/respond";
import { generationIdFrom, type IdParams } from "@/lib/http/route-params";
import { loopsPath } from "@/lib/contracts/paths";
import { listLoops, requestLoop } from "@/lib/http/loop-routes";
import { requireOwner } from "@/lib/server/owner";
import { services } from "@/lib/server/services";

/** Every loop asked for so far, with its state and progress, and whether the share page offers them. */
export const GET = handle(async (request: Request, context: IdParams) => {
  await requireOwner(request);
  const id = await generationIdFrom(context);
  const { generations, derivatives } = await services();
  return listLoops(derivatives, await generations.get(id), loopsPath(id));
});

/** `{ format: "gif" | "webp", pingPong? }`: made once, off the request, in the background queue. */
export const POST = handle(async (request: Request, context: IdParams) => {
  await requireOwner(request, { mutation: true });
  const id = await generationIdFrom(context);
  const { generations, derivatives } = await services();
  return requestLoop(derivatives, await generations.get(id), request, loopsPath(id));
});

/** `{ shareLoops: boolean }`: whether visitors of the share link may make and download loops. */
export const PATCH = handle(async (request: Request, context: IdParams) => {
  await requireOwner(request, { mutation: true });
  const id = await generationIdFrom(context);
  const body = parseOrThrow(loopSettingsSchema, await readJsonBody(request, 1024));
  const { generations, derivatives } = await services();
  const record = await generations.get(id);
  await derivatives.setShareLoops(record.id, body.shareLoops);
  return listLoops(derivatives, record, loopsPath(id));
});
