import { createdByKeySchema, type CreatedByKey } from "@/lib/contracts/idempotency-key";
import { idempotencyKeyPath } from "@/lib/contracts/paths";
import { ApiRequestError } from "./api-request-error";
import { requestJson } from "./request-json";

/**
 * What the create sent with this Idempotency-Key made, or null when it never landed: asked
 * after a create's answer was lost, before an edited request may be sent in its place.
 */
export async function createdByKey(key: string): Promise<CreatedByKey | null> {
  try {
    return await requestJson(createdByKeySchema, idempotencyKeyPath(key));
  } catch (error) {
    if (error instanceof ApiRequestError && error.status === 404) return null;
    throw error;
  }
}
