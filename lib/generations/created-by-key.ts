import "server-only";
import type { CreatedByKey } from "@/lib/contracts/idempotency-key";
import { ApiError } from "@/lib/errors";

/** Where Idempotency-Keys are kept: on a generation (create, re-run) or on a set of takes. */
export interface KeyHolders {
  generations: { findByIdempotencyKey(key: string): Promise<{ id: string } | undefined> };
  takeSets: { findByIdempotencyKey(key: string): Promise<{ id: string } | undefined> };
}

/**
 * What a create sent with this key made, so a browser that lost the answer knows whether
 * it landed before it lets the person send an edited request. Generations are asked first:
 * the browser makes one key per request, so a key on both would be its own reuse.
 */
export async function findCreatedByKey(key: string, holders: KeyHolders): Promise<CreatedByKey> {
  const generation = await holders.generations.findByIdempotencyKey(key);
  if (generation) return { kind: "generation", id: generation.id };
  const takeSet = await holders.takeSets.findByIdempotencyKey(key);
  if (takeSet) return { kind: "takes", id: takeSet.id };
  throw new ApiError("not_found", "Nothing was created with this Idempotency-Key.");
}
