import { SHARE_TOKEN_PATTERN } from "@/lib/contracts/generation";
import type { OembedVideo } from "@/lib/contracts/oembed";
import { embedIframe, fitWithin, PROVIDER_NAME, type ShareCard } from "./share-card";

const SHARE_PATH = new RegExp(`^/s/(${SHARE_TOKEN_PATTERN.source.replace(/^\^|\$$/g, "")})(?:/embed)?/?$`);

/**
 * The share token in a URL a consumer asks about, when it is one of our share links (a
 * share page or its player, on a host name this app answers to); undefined otherwise.
 */
export function shareTokenFromUrl(candidate: string, isOwnHost: (host: string) => boolean): string | undefined {
  if (!URL.canParse(candidate)) return undefined;
  const url = new URL(candidate);
  if (url.protocol !== "https:" && url.protocol !== "http:") return undefined;
  if (url.username || url.password || !isOwnHost(url.host)) return undefined;
  return SHARE_PATH.exec(url.pathname)?.[1];
}

/** A `video` oEmbed answer for a live share link, sized within the consumer's bounds (keeping the aspect). */
export function oembedVideo(card: ShareCard, origin: string, bounds: { maxwidth?: number; maxheight?: number }): OembedVideo {
  const size = fitWithin(card, bounds);
  return {
    version: "1.0",
    type: "video",
    provider_name: PROVIDER_NAME,
    provider_url: `${origin}/`,
    title: card.title,
    html: embedIframe(card.embedUrl, size, card.title),
    width: size.width,
    height: size.height,
    thumbnail_url: card.frameUrl,
    thumbnail_width: card.width,
    thumbnail_height: card.height,
  };
}
