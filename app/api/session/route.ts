import { loginBodySchema } from "@/lib/contracts/login";
import { parseOrThrow } from "@/lib/http/parse";
import { readJsonBody } from "@/lib/http/read-body";
import { handle } from "@/lib/http/respond";
import { clientKey } from "@/lib/security/client-key";
import { logIn, logOut } from "@/lib/server/owner";
import { assertSameOrigin } from "@/lib/security/same-origin";

/** Sign in with APP_PASSWORD. */
export const POST = handle(async (request: Request) => {
  assertSameOrigin(request);
  const body = parseOrThrow(loginBodySchema, await readJsonBody(request, 4 * 1024));
  await logIn(request, body.password, clientKey(request));
  return new Response(null, { status: 204 });
});

/** Sign out. */
export const DELETE = handle(async (request: Request) => {
  assertSameOrigin(request);
  await logOut(request);
  return new Response(null, { status: 204 });
});
