import path from "node:path";
import Database from "better-sqlite3";
import { apiErrorBodySchema } from "@/lib/contracts/api-error";
import { takeSetViewSchema, type CreateTakesBody, type TakeSetView } from "@/lib/contracts/takes";

export async function postTakes(baseUrl: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${baseUrl}/api/takes`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

export async function createTakes(baseUrl: string, body: CreateTakesBody, idempotencyKey?: string): Promise<TakeSetView> {
  const response = await postTakes(baseUrl, body, idempotencyKey ? { "Idempotency-Key": idempotencyKey } : {});
  const json: unknown = await response.json();
  if (response.status !== 201 && response.status !== 200) throw new Error(`takes answered ${response.status}: ${JSON.stringify(json)}`);
  return takeSetViewSchema.parse(json);
}

export async function getTakes(baseUrl: string, id: string): Promise<TakeSetView> {
  const response = await fetch(`${baseUrl}/api/takes/${id}`);
  if (response.status !== 200) throw new Error(`get takes answered ${response.status}`);
  return takeSetViewSchema.parse(await response.json());
}

export async function errorOf(response: Response) {
  return { status: response.status, ...apiErrorBodySchema.parse(await response.json()).error };
}

/** Rows in the app's SQLite file, read beside the running server. */
export function countRows(dataDir: string, table: "generations" | "take_sets" | "take_set_members" | "uploads"): number {
  const db = new Database(path.join(dataDir, "portrait-live.sqlite"), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** The ledger's entries still counted at the estimate (money the provider may yet bill). */
export function awaitingCost(dataDir: string, generationId: string): number | undefined {
  const db = new Database(path.join(dataDir, "portrait-live.sqlite"), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare("select awaiting_cost from usage_ledger where generation_id = ?").get(generationId) as { awaiting_cost: number } | undefined)
      ?.awaiting_cost;
  } finally {
    db.close();
  }
}
