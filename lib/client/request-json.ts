import type { z } from "zod";
import { apiErrorBodySchema } from "@/lib/contracts/api-error";
import { ApiRequestError } from "./api-request-error";

/**
 * One call to the app's API from the browser: the answer parsed with its contract's schema
 * (nothing to parse with `null`), and any failure as an ApiRequestError the forms can show.
 */
export async function requestJson<Schema extends z.ZodType>(schema: Schema | null, path: string, init: RequestInit = {}): Promise<z.output<Schema>> {
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers: { Accept: "application/json", ...init.headers } });
  } catch {
    throw new ApiRequestError("The server could not be reached. Check your connection and try again.", 0, "network");
  }
  if (!response.ok) {
    const body = apiErrorBodySchema.safeParse(await response.json().catch(() => null));
    if (body.success) throw new ApiRequestError(body.data.error.message, response.status, body.data.error.code, body.data.error.field);
    throw new ApiRequestError(`The server answered ${response.status}.`, response.status, "http_error");
  }
  if (!schema) return undefined as z.output<Schema>;
  return schema.parse(await response.json());
}
