import { z } from "zod";

/** The optional `Idempotency-Key` header of create and re-run: the same key always gives the same generation. */
const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9_.:-]{8,128}$/;

export const idempotencyKeySchema = z.string().regex(IDEMPOTENCY_KEY_PATTERN, "Idempotency-Key must be 8–128 characters of A–Z, a–z, 0–9, _ . : -");
