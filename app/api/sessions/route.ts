import { handle } from "@/lib/http/respond";
import { logOutEverywhere } from "@/lib/server/owner";
import { assertSameOrigin } from "@/lib/security/same-origin";

/** Sign out everywhere: every open session ends, on every browser and device. */
export const DELETE = handle(async (request: Request) => {
  assertSameOrigin(request);
  await logOutEverywhere(request);
  return new Response(null, { status: 204 });
});
