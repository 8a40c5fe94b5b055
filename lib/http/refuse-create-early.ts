import type { AdmissionGuard } from "@/lib/limits/admission-guard";

/**
 * A create the limits would refuse is refused before its body is read: a data-URL image is up
 * to 27 MB of JSON to parse and a photo to decode. Counts nothing (admission decides later,
 * under its lock); a replay of an earlier create always passes, as it would past the body.
 */
export async function refuseCreateEarly(
  guard: Pick<AdmissionGuard, "precheck">,
  request: { idempotencyKey?: string; clientKey: string },
  madeWithKey: (key: string) => Promise<unknown>,
): Promise<void> {
  if (request.idempotencyKey && (await madeWithKey(request.idempotencyKey))) return;
  await guard.precheck(request.clientKey);
}
