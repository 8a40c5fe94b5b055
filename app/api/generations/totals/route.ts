import { totalsQuerySchema } from "@/lib/contracts/generation";
import { parseOrThrow } from "@/lib/http/parse";
import { handle } from "@/lib/http/respond";
import { requireOwner } from "@/lib/server/owner";
import { services } from "@/lib/server/services";

/** Number of generations and money spent today, this month and all time. */
export const GET = handle(async (request: Request) => {
  await requireOwner(request);
  const query = parseOrThrow(totalsQuerySchema, Object.fromEntries(new URL(request.url).searchParams), "invalid_param");
  const { generations } = await services();
  return Response.json(await generations.totals(query), { headers: { "Cache-Control": "no-store" } });
});
