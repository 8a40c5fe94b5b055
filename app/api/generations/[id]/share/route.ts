import { newShareLinkBodySchema, shareExpiryBodySchema } from "@/lib/contracts/share";
import { generationPresenter } from "@/lib/generations/present-generations";
import { parseOrThrow } from "@/lib/http/parse";
import { readJsonBody, readOptionalJsonBody } from "@/lib/http/read-body";
import { handle } from "@/lib/http/respond";
import { generationIdFrom, type IdParams } from "@/lib/http/route-params";
import { requireOwner } from "@/lib/server/owner";
import { services } from "@/lib/server/services";

const MAX_BODY_BYTES = 1024;

/**
 * A new share link (`{ expiresIn? }`); the previous one stops working at once. The body is
 * optional: none, or an empty one, gets a link that never expires.
 */
export const POST = handle(async (request: Request, context: IdParams) => {
  await requireOwner(request, { mutation: true });
  const id = await generationIdFrom(context);
  const body = parseOrThrow(newShareLinkBodySchema, await readOptionalJsonBody(request, MAX_BODY_BYTES));
  const sources = await services();
  return Response.json(await generationPresenter(sources).presentOne(await sources.generations.renewShareLink(id, body.expiresIn)));
});

/** A new lifetime for the current link (`{ expiresIn }`, counted from now); the link stays the same. */
export const PATCH = handle(async (request: Request, context: IdParams) => {
  await requireOwner(request, { mutation: true });
  const id = await generationIdFrom(context);
  const body = parseOrThrow(shareExpiryBodySchema, await readJsonBody(request, MAX_BODY_BYTES));
  const sources = await services();
  return Response.json(await generationPresenter(sources).presentOne(await sources.generations.setShareExpiry(id, body.expiresIn)));
});

/** Revokes the share link. */
export const DELETE = handle(async (request: Request, context: IdParams) => {
  await requireOwner(request, { mutation: true });
  const id = await generationIdFrom(context);
  const sources = await services();
  return Response.json(await generationPresenter(sources).presentOne(await sources.generations.revokeShareLink(id)));
});
