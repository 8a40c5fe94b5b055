import "server-only";
import { sharedVideoPath } from "@/lib/contracts/paths";
import type { GenerationRecord } from "@/lib/generations/generation-record";
import type { DerivativeRecord } from "@/lib/media/derivatives/derivative-record";
import { derivedMediaOf, videoSizeFor, type DerivedMediaView } from "@/lib/media/derivatives/video-dimensions";
import type { DerivativeService } from "@/lib/media/derivatives/derivative-service";
import { resolveShare, type SharedGenerations } from "./resolve-share";
import { shareCard, type ShareCard } from "./share-card";

export interface SharedVideo {
  record: GenerationRecord;
  card: ShareCard;
  /** The player's renditions on the share link's own video route. */
  derived: DerivedMediaView;
}

/** The preview and player of a shared video from its derived media: the size as measured (the one the owner's player shows), or as asked for until then. */
export function sharedVideoFrom(record: GenerationRecord, token: string, origin: string, jobs: readonly DerivativeRecord[]): SharedVideo {
  return { record, card: shareCard(record, token, origin, videoSizeFor(record, jobs)), derived: derivedMediaOf(jobs, sharedVideoPath(token)) };
}

/** Where a shared video's card is read from: the live link's generation and its derived media. */
export interface ShareCardSources {
  generations: SharedGenerations;
  derivatives: Pick<DerivativeService, "listFor">;
}

/** The generation behind a live link, its preview and player on `origin`, or undefined for any dead or malformed token. One read of its derived media. */
export async function loadShareCard(sources: ShareCardSources, token: string, origin: string): Promise<SharedVideo | undefined> {
  const record = await resolveShare(sources.generations, token);
  if (!record) return undefined;
  return sharedVideoFrom(record, token, origin, await sources.derivatives.listFor(record.id));
}
