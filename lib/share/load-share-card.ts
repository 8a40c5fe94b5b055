import "server-only";
import type { GenerationRecord } from "@/lib/generations/generation-record";
import { publicOrigin } from "@/lib/server/public-origin";
import { services } from "@/lib/server/services";
import { resolveShare } from "./resolve-share";
import { shareCard, type ShareCard } from "./share-card";
import { sharedVideoSize } from "./shared-video-size";

/** The generation behind a live link and its preview, or undefined for any dead or malformed token. */
export async function loadShareCard(token: string): Promise<{ record: GenerationRecord; card: ShareCard } | undefined> {
  const record = await resolveShare(token);
  if (!record) return undefined;
  const { media } = await services();
  const [origin, size] = await Promise.all([publicOrigin(), sharedVideoSize(record, media)]);
  return { record, card: shareCard(record, token, origin, size) };
}
