import "server-only";
import { sharedVideoPath } from "@/lib/contracts/paths";
import type { GenerationRecord } from "@/lib/generations/generation-record";
import type { DerivativeRecord } from "@/lib/media/derivatives/derivative-record";
import { derivedMediaOf, videoSizeFor, type DerivedMediaView } from "@/lib/media/derivatives/video-dimensions";
import { publicOrigin } from "@/lib/server/public-origin";
import { services } from "@/lib/server/services";
import { resolveShare } from "./resolve-share";
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

/** The generation behind a live link, its preview and player, or undefined for any dead or malformed token. One read of its derived media. */
export async function loadShareCard(token: string): Promise<SharedVideo | undefined> {
  const record = await resolveShare(token);
  if (!record) return undefined;
  const { derivatives } = await services();
  const [origin, jobs] = await Promise.all([publicOrigin(), derivatives.listFor(record.id)]);
  return sharedVideoFrom(record, token, origin, jobs);
}
