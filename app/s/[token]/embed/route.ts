import { handle } from "@/lib/http/respond";
import { embedHtml, embedNotFoundHtml, EMBED_HEADERS } from "@/lib/share/embed-page";
import { resolveShare } from "@/lib/share/resolve-share";
import { sharedVideoSize } from "@/lib/share/shared-video-size";
import { services } from "@/lib/server/services";

type Props = { params: Promise<{ token: string }> };

/** Public: the player other sites frame (oEmbed's html, X's player card). */
export const GET = handle(async (_request: Request, { params }: Props) => {
  const { token } = await params;
  const record = await resolveShare(token);
  if (!record) return new Response(embedNotFoundHtml(), { status: 404, headers: EMBED_HEADERS });
  const { media } = await services();
  return new Response(embedHtml(token, await sharedVideoSize(record, media)), { status: 200, headers: EMBED_HEADERS });
});
