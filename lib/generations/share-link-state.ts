/** Whether a share link with this token and expiry opens anything at `now`: expired is as good as revoked. */
export function isShareLinkLive(link: { shareToken: string | null; shareExpiresAt: string | null }, now: Date): boolean {
  if (!link.shareToken) return false;
  return link.shareExpiresAt === null || Date.parse(link.shareExpiresAt) > now.getTime();
}
