import { idempotencyKeySchema } from "@/lib/contracts/idempotency-key";
import { parseOrThrow } from "./parse";

export function idempotencyKeyFrom(request: Request): string | undefined {
  const header = request.headers.get("idempotency-key");
  if (header === null) return undefined;
  return parseOrThrow(idempotencyKeySchema, header, "invalid_param");
}
