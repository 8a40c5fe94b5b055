import { createHash } from "node:crypto";
import type { ShareLinkState } from "./resolve-share";
import { PROVIDER_NAME } from "./share-card";

/**
 * What an outsider sees at a share link that opens nothing (revoked, expired, unknown): the
 * app's name, one sentence, and a way to make their own. No script and nothing about the
 * video or its owner. Plain HTML, because only a route handler or the proxy can answer 410.
 */
const STYLE =
  ":root{color-scheme:light dark;--bg:#fafafa;--fg:#171717;--muted:#525252;--btn:#171717;--btn-fg:#fff}" +
  "@media (prefers-color-scheme:dark){:root{--bg:#0a0a0a;--fg:#f5f5f5;--muted:#a3a3a3;--btn:#fff;--btn-fg:#171717}}" +
  "html,body{margin:0;min-height:100%;background:var(--bg);color:var(--fg);font:16px/1.5 system-ui,-apple-system,'Segoe UI',sans-serif}" +
  "main{box-sizing:border-box;min-height:100dvh;display:flex;flex-direction:column;align-items:center;justify-content:center;gap:1rem;padding:2rem 1.25rem;text-align:center}" +
  ".brand{display:flex;align-items:center;gap:.5rem;font-weight:600;margin:0;color:var(--fg)}" +
  ".mark{display:inline-block;width:1.5rem;height:1.5rem;border-radius:50%;background:linear-gradient(135deg,#6366f1,#ec4899)}" +
  "h1{font-size:1.75rem;line-height:1.2;margin:.5rem 0 0;letter-spacing:-.01em}" +
  "p{margin:0;max-width:28rem;color:var(--muted)}" +
  "a{margin-top:.5rem;display:inline-block;border-radius:999px;padding:.625rem 1.25rem;background:var(--btn);color:var(--btn-fg);font-weight:600;text-decoration:none}" +
  "a:focus-visible{outline:2px solid #6366f1;outline-offset:3px}";

/** For a policy without 'unsafe-inline' (the embeddable player's). */
export const ENDED_SHARE_STYLE_HASH = `'sha256-${createHash("sha256").update(STYLE).digest("base64")}'`;

/** The page, for the share page itself or inside someone else's frame (where "Make your own" opens a new tab). */
export function endedSharePageHtml(options: { framed: boolean }): string {
  const target = options.framed ? ' target="_blank" rel="noopener"' : "";
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<meta name="robots" content="noindex"><title>No longer shared · ${PROVIDER_NAME}</title><style>${STYLE}</style></head>` +
    `<body><main><p class="brand"><span class="mark" aria-hidden="true"></span>${PROVIDER_NAME}</p>` +
    `<h1>This video is no longer shared</h1>` +
    `<p>The link was turned off, has expired, or was never made. ${PROVIDER_NAME} turns a portrait photo into a short video.</p>` +
    `<a href="/"${target}>Make your own</a></main></body></html>`
  );
}

/** 410 Gone for a link that was made and has expired; 404 for any other that opens nothing (one that came alive meanwhile too). */
export const endedShareStatus = (state: ShareLinkState) => (state === "gone" ? 410 : 404);
