import { takeSetIdSchema } from "@/lib/contracts/takes";
import { parseOrThrow } from "@/lib/http/parse";
import type { IdParams } from "@/lib/http/route-params";

/** Set ids have the generation id's strict format. */
export async function takeSetIdFrom(context: IdParams): Promise<string> {
  const { id } = await context.params;
  return parseOrThrow(takeSetIdSchema, id, "invalid_param");
}
