/**
 * Every public address the server hands out and the browser asks for, in one place, so a
 * view's URLs, the pages' links and the API clients cannot drift apart. No zod here: pages
 * import this in their first load.
 */

// Pages.
export const generationPagePath = (id: string) => `/g/${id}`;
export const takeSetPagePath = (id: string) => `/t/${id}`;
export const sharePath = (token: string) => `/s/${token}`;
export const shareEmbedPath = (token: string) => `${sharePath(token)}/embed`;

// The owner's API.
export const generationsPath = "/api/generations";
export const generationPath = (id: string) => `${generationsPath}/${id}`;
export const totalsPath = `${generationsPath}/totals`;
export const rerunPath = (id: string) => `${generationPath(id)}/rerun`;
export const cancelPath = (id: string) => `${generationPath(id)}/cancel`;
export const shareLinkPath = (id: string) => `${generationPath(id)}/share`;
export const eventsPath = (id: string) => `${generationPath(id)}/events`;
export const takeSetsPath = "/api/takes";
export const takeSetPath = (id: string) => `${takeSetsPath}/${id}`;
export const queuePath = "/api/queue";
export const uploadsPath = "/api/uploads";
export const idempotencyKeyPath = (key: string) => `/api/idempotency-keys/${encodeURIComponent(key)}`;
export const oembedPath = (url: string) => `/api/oembed?${new URLSearchParams({ url, format: "json" }).toString()}`;

// A result's media, for its owner.
export const videoPath = (id: string) => `${generationPath(id)}/video`;
/** The provider's file, byte for byte, as an attachment. */
export const downloadPath = (id: string) => `${videoPath(id)}?download=1`;
/** The cropped portrait the generation started from. */
export const inputPath = (id: string) => `${generationPath(id)}/input`;
/** The video's first frame at its size (the portrait until it is made). */
export const framePath = (id: string) => `${generationPath(id)}/frame`;
/** The preview pages show first (see frameImage). */
export const smallFramePath = (id: string) => `${framePath(id)}?size=small`;
export const loopsPath = (id: string) => `${generationPath(id)}/loops`;

// The same media through a share link.
const sharedBase = (token: string) => `/api/share/${token}`;
export const sharedVideoPath = (token: string) => `${sharedBase(token)}/video`;
export const sharedFramePath = (token: string) => `${sharedBase(token)}/frame`;
export const sharedSmallFramePath = (token: string) => `${sharedFramePath(token)}?size=small`;
export const sharedLoopsPath = (token: string) => `${sharedBase(token)}/loops`;

/** A stored rendition of a video route (the owner's or a share link's): `web` has its index first, `light` is for phones. */
export const renditionPath = (videoBase: string, rendition: "web" | "light") => `${videoBase}?rendition=${rendition}`;
