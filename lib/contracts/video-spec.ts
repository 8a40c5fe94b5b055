/** The one video the app makes: the model's fixed length and resolution, in our own words. */
export const VIDEO_SPEC = {
  durationSeconds: 6,
  resolution: "720P",
  /** The short side of a 720P video, in pixels; the long side follows the portrait's aspect. */
  shortSidePx: 720,
} as const;

/** `live` sends generations to the provider; `demo` (no API key) makes them on this server. */
export const APP_MODES = ["live", "demo"] as const;
export type AppMode = (typeof APP_MODES)[number];
