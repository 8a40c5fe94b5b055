import { readUploadBody } from "@/lib/http/read-upload-body";
import { handle } from "@/lib/http/respond";
import { requireOwner } from "@/lib/server/owner";
import { clientKey } from "@/lib/security/client-key";
import { services } from "@/lib/server/services";
import { toUploadView } from "@/lib/uploads/upload-view";

/** Stores a portrait (raw image body or multipart `image`) so a create can send just its id. */
export const POST = handle(async (request: Request) => {
  await requireOwner(request, { mutation: true });
  const { uploads } = await services();
  const upload = await uploads.accept(() => readUploadBody(request), { clientKey: clientKey(request) });
  return Response.json(toUploadView(upload), { status: 201, headers: { "Cache-Control": "no-store" } });
});
