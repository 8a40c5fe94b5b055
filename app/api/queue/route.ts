import { handle } from "@/lib/http/respond";
import { requireOwner } from "@/lib/server/owner";
import { services } from "@/lib/server/services";

/** What a new set would start and cost: running and waiting counts, caps, per-take price, budget left. */
export const GET = handle(async (request: Request) => {
  await requireOwner(request);
  const { queue } = await services();
  return Response.json(await queue.status(), { headers: { "Cache-Control": "no-store" } });
});
