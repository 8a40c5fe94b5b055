/**
 * A fresh Idempotency-Key for one create or re-run; the caller keeps it until the server
 * answers definitively, so a retry of the same action can never start a second generation.
 */
export function newIdempotencyKey(purpose: "studio" | "takes" | "retry" | "rerun"): string {
  return `${purpose}-${crypto.randomUUID()}`;
}
