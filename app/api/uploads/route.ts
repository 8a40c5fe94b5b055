import type { UploadView } from "@/lib/contracts/upload";
import { readUploadBody } from "@/lib/http/read-upload-body";
import { handle } from "@/lib/http/respond";
import { requireOwner } from "@/lib/security/access";
import { clientKey } from "@/lib/security/client-key";
import { services } from "@/lib/server/services";

/** Stores a portrait (raw image body or multipart `image`) so a create can send just its id. */
export const POST = handle(async (request: Request) => {
  await requireOwner(request, { mutation: true });
  const { uploads } = await services();
  const upload = await uploads.accept(() => readUploadBody(request), { clientKey: clientKey(request) });
  const body: UploadView = {
    id: upload.id,
    width: upload.width,
    height: upload.height,
    bytes: upload.bytes ?? 0,
    expiresAt: upload.expiresAt,
  };
  return Response.json(body, { status: 201, headers: { "Cache-Control": "no-store" } });
});
