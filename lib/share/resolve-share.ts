import "server-only";
import { shareTokenSchema } from "@/lib/contracts/generation";
import { notFound } from "@/lib/errors";
import type { GenerationRecord } from "@/lib/generations/generation-record";
import type { GenerationService } from "@/lib/generations/generation-service";

export type SharedGenerations = Pick<GenerationService, "findShared">;

/**
 * The one check behind every public share address (page, embed, oEmbed, video, poster and
 * any other file served for a link): the playable generation behind a live link, or nothing.
 * Malformed, unknown, revoked and expired tokens are indistinguishable.
 */
export async function resolveShare(generations: SharedGenerations, token: string): Promise<GenerationRecord | undefined> {
  const parsed = shareTokenSchema.safeParse(token);
  return parsed.success ? generations.findShared(parsed.data) : undefined;
}

/** For route handlers: the same 404 whatever is wrong with the token. */
export async function requireShare(generations: SharedGenerations, token: string): Promise<GenerationRecord> {
  const shared = await resolveShare(generations, token);
  if (!shared) throw notFound("shared video");
  return shared;
}
