import "server-only";
import { shareLinkState, type ShareLinkState } from "@/lib/share/resolve-share";
import { services } from "./services";

/** What the share link `token` is now, read from this server's store. */
export async function shareLinkStateOf(token: string): Promise<ShareLinkState> {
  const app = await services();
  return shareLinkState({ generations: app.generations, records: app.repository }, token, new Date());
}
