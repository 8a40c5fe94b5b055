import { handle } from "@/lib/http/respond";
import { embedHtml, embedNotFoundHtml, EMBED_HEADERS } from "@/lib/share/embed-page";
import { sharedVideoFor } from "@/lib/server/shared-videos";

type Props = { params: Promise<{ token: string }> };

/** Public: the player other sites frame (oEmbed's html, X's player card), at the size the card announces. */
export const GET = handle(async (_request: Request, { params }: Props) => {
  const { token } = await params;
  const shared = await sharedVideoFor(token);
  if (!shared) return new Response(embedNotFoundHtml(), { status: 404, headers: EMBED_HEADERS });
  return new Response(embedHtml(token, shared.card), { status: 200, headers: EMBED_HEADERS });
});
