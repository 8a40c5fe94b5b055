import "server-only";
import { shareTokenSchema } from "@/lib/contracts/generation";
import { notFound } from "@/lib/errors";
import type { GenerationRecord } from "@/lib/generations/generation-record";
import type { GenerationRepository } from "@/lib/generations/generation-repository";
import type { GenerationService } from "@/lib/generations/generation-service";
import { isShareLinkLive } from "@/lib/generations/share-link-state";

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

/** live: it opens a video; gone: a link that was made and has expired; unknown: anything else. */
export type ShareLinkState = "live" | "gone" | "unknown";

/**
 * What an outsider's dead link was, for its page's status alone (410 or 404): nothing else
 * about the video or its owner is told. A revoked link is unknown: revoking forgets the token.
 */
export async function shareLinkState(
  sources: { generations: SharedGenerations; records: Pick<GenerationRepository, "findByShareToken"> },
  token: string,
  now: Date,
): Promise<ShareLinkState> {
  const parsed = shareTokenSchema.safeParse(token);
  if (!parsed.success) return "unknown";
  if (await sources.generations.findShared(parsed.data)) return "live";
  const record = await sources.records.findByShareToken(parsed.data);
  return record && !isShareLinkLive(record, now) ? "gone" : "unknown";
}
