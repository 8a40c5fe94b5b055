import { queueStatusSchema, takeSetViewSchema, type CreateTakesBody, type QueueStatus, type TakeSetView } from "@/lib/contracts/takes";
import { cancelPath, queuePath, takeSetPath, takeSetsPath } from "@/lib/contracts/paths";
import { requestJson } from "./request-json";

const json = (method: string, body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method,
  body: JSON.stringify(body),
  headers: { "Content-Type": "application/json", ...headers },
});

export const takesApi = {
  create: (body: CreateTakesBody, idempotencyKey: string): Promise<TakeSetView> =>
    requestJson(takeSetViewSchema, takeSetsPath, json("POST", body, { "Idempotency-Key": idempotencyKey })),
  get: (id: string): Promise<TakeSetView> => requestJson(takeSetViewSchema, takeSetPath(id)),
  setFavourite: (id: string, favouriteId: string | null): Promise<TakeSetView> => requestJson(takeSetViewSchema, takeSetPath(id), json("PUT", { favouriteId })),
  remove: (id: string) => requestJson(null, takeSetPath(id), { method: "DELETE" }),
  cancel: (generationId: string) => requestJson(null, cancelPath(generationId), { method: "POST" }),
  queue: (): Promise<QueueStatus> => requestJson(queueStatusSchema, queuePath),
};
