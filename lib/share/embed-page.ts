import { createHash } from "node:crypto";
import { renditionPath, sharedSmallFramePath, sharedVideoPath, sharePath } from "@/lib/contracts/paths";
import type { VideoDimensions } from "@/lib/media/derivatives/video-dimensions";
import { ENDED_SHARE_STYLE_HASH } from "./ended-share-page";
import { PROVIDER_NAME, SHARE_TITLE } from "./share-card";

/**
 * The embeddable player: a plain HTML document with no script at all (nothing to hydrate,
 * about a kilobyte), so it loads fast in someone else's page and can run nothing there.
 */
const STYLE =
  "html,body{margin:0;height:100%;background:#000;overflow:hidden}" +
  "video{display:block;width:100%;height:100%;object-fit:contain}" +
  "a{position:fixed;right:8px;bottom:8px;padding:5px 8px;border-radius:6px;background:rgba(0,0,0,.6);" +
  "color:#fff;font:600 12px/1.2 system-ui,sans-serif;text-decoration:none}a:focus-visible{outline:2px solid #fff}" +
  "p{color:#ddd;font:14px/1.4 system-ui,sans-serif;text-align:center;margin:0;padding:2em 1em}";

const STYLE_HASH = `'sha256-${createHash("sha256").update(STYLE).digest("base64")}'`;

/**
 * Any site may frame it (frame-ancestors *); it may load only our media and its own style.
 * Every other page keeps frame-ancestors 'none' and X-Frame-Options: DENY.
 */
const framablePolicy = (styleHash: string) =>
  `default-src 'none'; media-src 'self'; img-src 'self'; style-src ${styleHash}; base-uri 'none'; form-action 'none'; frame-ancestors *`;

export const EMBED_HEADERS: Record<string, string> = {
  "Content-Type": "text/html; charset=utf-8",
  "Content-Security-Policy": framablePolicy(STYLE_HASH),
  // Revalidated on every use so a revoked or expired link stops at once.
  "Cache-Control": "no-cache",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "strict-origin-when-cross-origin",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
};

const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
  `<meta name="robots" content="noindex"><title>${title}</title><style>${STYLE}</style></head><body>${body}</body></html>`;

/** Only the looping, muted, inline video, and a small link to the share page (in a new tab, out of the frame). */
export function embedHtml(token: string, size: VideoDimensions): string {
  return page(
    `${SHARE_TITLE} · ${PROVIDER_NAME}`,
    `<video src="${renditionPath(sharedVideoPath(token), "web")}" poster="${sharedSmallFramePath(token)}" width="${size.width}" height="${size.height}" ` +
      `autoplay muted loop playsinline preload="auto" aria-label="${SHARE_TITLE}"></video>` +
      `<a href="${sharePath(token)}" target="_blank" rel="noopener">${PROVIDER_NAME} ↗</a>`,
  );
}

/** The player's answer for a dead link: the branded page, with a policy for its own style. */
export const ENDED_EMBED_HEADERS: Record<string, string> = { ...EMBED_HEADERS, "Content-Security-Policy": framablePolicy(ENDED_SHARE_STYLE_HASH) };
