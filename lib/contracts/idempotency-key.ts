import { z } from "zod";
import { generationIdSchema } from "./generation";
import { takeSetIdSchema } from "./takes";

/** The optional `Idempotency-Key` header of create and re-run: the same key always gives the same generation. */
const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9_.:-]{8,128}$/;

export const idempotencyKeySchema = z.string().regex(IDEMPOTENCY_KEY_PATTERN, "Idempotency-Key must be 8–128 characters of A–Z, a–z, 0–9, _ . : -");

/** `GET /api/idempotency-keys/{key}`: what a create sent with the key made (404 when nothing). */
export const createdByKeySchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("generation"), id: generationIdSchema }),
  z.object({ kind: z.literal("takes"), id: takeSetIdSchema }),
]);
export type CreatedByKey = z.infer<typeof createdByKeySchema>;
