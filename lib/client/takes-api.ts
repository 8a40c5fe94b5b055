import { queueStatusSchema, takeSetViewSchema, type CreateTakesBody, type QueueStatus, type TakeSetView } from "@/lib/contracts/takes";
import { requestJson } from "./request-json";

const json = (method: string, body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method,
  body: JSON.stringify(body),
  headers: { "Content-Type": "application/json", ...headers },
});

export const takesApi = {
  create: (body: CreateTakesBody, idempotencyKey: string): Promise<TakeSetView> =>
    requestJson(takeSetViewSchema, "/api/takes", json("POST", body, { "Idempotency-Key": idempotencyKey })),
  get: (id: string): Promise<TakeSetView> => requestJson(takeSetViewSchema, `/api/takes/${id}`),
  setFavourite: (id: string, favouriteId: string | null): Promise<TakeSetView> =>
    requestJson(takeSetViewSchema, `/api/takes/${id}`, json("PUT", { favouriteId })),
  remove: (id: string) => requestJson(null, `/api/takes/${id}`, { method: "DELETE" }),
  cancel: (generationId: string) => requestJson(null, `/api/generations/${generationId}/cancel`, { method: "POST" }),
  queue: (): Promise<QueueStatus> => requestJson(queueStatusSchema, "/api/queue"),
};
