import type { z } from "zod";
import { ApiError, type ApiErrorCode } from "@/lib/errors";

/** Parses with zod and turns the first issue into a specific, field-named ApiError. */
export function parseOrThrow<Schema extends z.ZodType>(schema: Schema, value: unknown, code: ApiErrorCode = "invalid_body"): z.output<Schema> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.map(String).join(".") || undefined;
  const message = issue?.message ?? "Invalid request.";
  throw new ApiError(code, field && !message.includes(field) ? `${field}: ${message}` : message, field);
}
