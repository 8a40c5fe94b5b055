import { handle } from "@/lib/http/respond";
import { embedHtml, EMBED_HEADERS, ENDED_EMBED_HEADERS } from "@/lib/share/embed-page";
import { endedSharePageHtml, endedShareStatus } from "@/lib/share/ended-share-page";
import { shareLinkStateOf } from "@/lib/server/ended-share-link";
import { sharedVideoFor } from "@/lib/server/shared-videos";

type Props = { params: Promise<{ token: string }> };

/**
 * Public: the player other sites frame (oEmbed's html, X's player card), at the size the card
 * announces. A dead link shows the branded page in the frame: 410 once expired, else 404.
 */
export const GET = handle(async (_request: Request, { params }: Props) => {
  const { token } = await params;
  const shared = await sharedVideoFor(token);
  if (!shared) {
    const status = endedShareStatus(await shareLinkStateOf(token));
    return new Response(endedSharePageHtml({ framed: true }), { status, headers: ENDED_EMBED_HEADERS });
  }
  return new Response(embedHtml(token, shared.card), { status: 200, headers: EMBED_HEADERS });
});
