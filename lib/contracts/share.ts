import { z } from "zod";

/** How long a share link works: the owner's choice, counted from when it is set. */
export const SHARE_EXPIRY_CHOICES = ["never", "1d", "7d", "30d"] as const;
export const shareExpirySchema = z.enum(SHARE_EXPIRY_CHOICES, {
  error: `expiresIn must be one of ${SHARE_EXPIRY_CHOICES.join(", ")}.`,
});
export type ShareExpiry = z.infer<typeof shareExpirySchema>;

const DAY_MS = 24 * 60 * 60 * 1000;
const EXPIRY_MS: Record<ShareExpiry, number | null> = { never: null, "1d": DAY_MS, "7d": 7 * DAY_MS, "30d": 30 * DAY_MS };

/** When a link set at `now` with this choice stops working (ISO 8601), or null for never. */
export function shareExpiresAt(choice: ShareExpiry, now: Date): string | null {
  const span = EXPIRY_MS[choice];
  return span === null ? null : new Date(now.getTime() + span).toISOString();
}

/** POST …/share (a new link; the old one dies): how long the new link works, never by default. */
export const newShareLinkBodySchema = z.strictObject({ expiresIn: shareExpirySchema.optional().default("never") });

/** PATCH …/share: a new lifetime for the current link, counted from now (the link itself stays). */
export const shareExpiryBodySchema = z.strictObject({ expiresIn: shareExpirySchema });
