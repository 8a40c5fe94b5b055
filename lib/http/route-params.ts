import { generationIdSchema } from "@/lib/contracts/generation";
import { takeSetIdSchema } from "@/lib/contracts/takes";
import { parseOrThrow } from "./parse";

export type IdParams = { params: Promise<{ id: string }> };
export type TokenParams = { params: Promise<{ token: string }> };

/** Ids have a strict format, so a malformed or traversal-shaped id never reaches storage. */
export async function generationIdFrom(context: IdParams): Promise<string> {
  const { id } = await context.params;
  return parseOrThrow(generationIdSchema, id, "invalid_param");
}

/** Set ids have the generation id's strict format. */
export async function takeSetIdFrom(context: IdParams): Promise<string> {
  const { id } = await context.params;
  return parseOrThrow(takeSetIdSchema, id, "invalid_param");
}
