import { generationIdSchema } from "@/lib/contracts/generation";
import { parseOrThrow } from "./parse";

export type IdParams = { params: Promise<{ id: string }> };

/** Ids have a strict format, so a malformed or traversal-shaped id never reaches storage. */
export async function generationIdFrom(context: IdParams): Promise<string> {
  const { id } = await context.params;
  return parseOrThrow(generationIdSchema, id, "invalid_param");
}
