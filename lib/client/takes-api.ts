import type { z } from "zod";
import { apiErrorBodySchema } from "@/lib/contracts/api-error";
import { queueStatusSchema, takeSetViewSchema, type CreateTakesBody, type QueueStatus, type TakeSetView } from "@/lib/contracts/takes";
import { ApiRequestError } from "./api-request-error";

async function request<Schema extends z.ZodType>(schema: Schema | null, path: string, init: RequestInit = {}): Promise<z.output<Schema>> {
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

const json = (method: string, body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method,
  body: JSON.stringify(body),
  headers: { "Content-Type": "application/json", ...headers },
});

export const takesApi = {
  create: (body: CreateTakesBody, idempotencyKey: string): Promise<TakeSetView> =>
    request(takeSetViewSchema, "/api/takes", json("POST", body, { "Idempotency-Key": idempotencyKey })),
  get: (id: string): Promise<TakeSetView> => request(takeSetViewSchema, `/api/takes/${id}`),
  setFavourite: (id: string, favouriteId: string | null): Promise<TakeSetView> => request(takeSetViewSchema, `/api/takes/${id}`, json("PUT", { favouriteId })),
  remove: (id: string) => request(null, `/api/takes/${id}`, { method: "DELETE" }),
  cancel: (generationId: string) => request(null, `/api/generations/${generationId}/cancel`, { method: "POST" }),
  queue: (): Promise<QueueStatus> => request(queueStatusSchema, "/api/queue"),
};
