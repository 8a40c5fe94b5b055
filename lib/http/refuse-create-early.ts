import type { GenerationRepository } from "@/lib/generations/generation-repository";
import type { AdmissionGuard } from "@/lib/limits/admission-guard";

/**
 * A create the limits would refuse is refused before its body is read: a data-URL image is up
 * to 27 MB of JSON to parse and a photo to decode. Counts nothing (admission decides later,
 * under its lock); a replay of an earlier create always passes, as it would past the body.
 */
export async function refuseCreateEarly(
  sources: { repository: Pick<GenerationRepository, "findByIdempotencyKey">; guard: Pick<AdmissionGuard, "precheck"> },
  request: { idempotencyKey?: string; clientKey: string },
): Promise<void> {
  if (request.idempotencyKey && (await sources.repository.findByIdempotencyKey(request.idempotencyKey))) return;
  await sources.guard.precheck(request.clientKey);
}
