import { VIDEO_SPEC } from "@/lib/contracts/video-spec";
import type { GenerationRecord } from "@/lib/generations/generation-record";
import { oembedPath, renditionPath, shareEmbedPath, sharedFramePath, sharedVideoPath, sharePath } from "@/lib/contracts/paths";
import type { VideoDimensions } from "@/lib/media/derivatives/video-dimensions";

export const SHARE_TITLE = "A portrait, brought to life";
export const PROVIDER_NAME = "Portrait Live";
const HIDDEN_PROMPT_DESCRIPTION = `A ${VIDEO_SPEC.durationSeconds}-second video made with Portrait Live.`;

/** Everything a preview of a shared video shows, with absolute URLs on `origin`. */
export interface ShareCard {
  title: string;
  description: string;
  pageUrl: string;
  embedUrl: string;
  videoUrl: string;
  frameUrl: string;
  oembedUrl: string;
  /** The video's real frame size; the poster is a frame of it at the same size. */
  width: number;
  height: number;
  secure: boolean;
}

export function shareCard(record: GenerationRecord, token: string, origin: string, size: VideoDimensions): ShareCard {
  const pageUrl = `${origin}${sharePath(token)}`;
  return {
    title: SHARE_TITLE,
    description: record.hidePrompt || !record.prompt.trim() ? HIDDEN_PROMPT_DESCRIPTION : record.prompt.slice(0, 200),
    pageUrl,
    embedUrl: `${origin}${shareEmbedPath(token)}`,
    // The remux with its index first (unfurlers and seeking need it); the original until it is made.
    videoUrl: `${origin}${renditionPath(sharedVideoPath(token), "web")}`,
    // A real frame of the video, at its size; the portrait it starts from until that is made.
    frameUrl: `${origin}${sharedFramePath(token)}`,
    oembedUrl: `${origin}${oembedPath(pageUrl)}`,
    width: size.width,
    height: size.height,
    secure: origin.startsWith("https://"),
  };
}

/** Fits a frame inside optional bounds, keeping its aspect; never scales up. */
export function fitWithin(size: VideoDimensions, bounds: { maxwidth?: number; maxheight?: number }): VideoDimensions {
  const scale = Math.min(1, bounds.maxwidth ? bounds.maxwidth / size.width : 1, bounds.maxheight ? bounds.maxheight / size.height : 1);
  return { width: Math.max(1, Math.floor(size.width * scale)), height: Math.max(1, Math.floor(size.height * scale)) };
}

const escapeAttribute = (value: string) => value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** The iframe other sites paste to show the looping video. */
export function embedIframe(embedUrl: string, size: VideoDimensions, title = SHARE_TITLE): string {
  return (
    `<iframe src="${escapeAttribute(embedUrl)}" width="${size.width}" height="${size.height}" title="${escapeAttribute(title)}" ` +
    `frameborder="0" allow="autoplay; fullscreen" allowfullscreen></iframe>`
  );
}
