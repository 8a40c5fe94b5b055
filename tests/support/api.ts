import { generationViewSchema, type GenerationView } from "@/lib/contracts/generation";

/** Polling our own status route (cheap: it reads the store), shared with the benchmarks. */
export { waitFor, waitForFinal } from "../../bench/support/api";

export interface CreateOptions {
  image?: string;
  /** From POST /api/uploads; send either this or image. */
  uploadId?: string;
  prompt?: string;
  promptOptimizer?: boolean;
  watermark?: boolean;
  idempotencyKey?: string;
}

export async function postGeneration(baseUrl: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${baseUrl}/api/generations`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

export async function createGeneration(baseUrl: string, options: CreateOptions & ({ image: string } | { uploadId: string })): Promise<GenerationView> {
  const { idempotencyKey, ...body } = options;
  const response = await postGeneration(baseUrl, body, idempotencyKey ? { "Idempotency-Key": idempotencyKey } : {});
  const json: unknown = await response.json();
  if (response.status !== 201 && response.status !== 200) {
    throw new Error(`create answered ${response.status}: ${JSON.stringify(json)}`);
  }
  return generationViewSchema.parse(json);
}

export async function getGeneration(baseUrl: string, id: string): Promise<GenerationView> {
  const response = await fetch(`${baseUrl}/api/generations/${id}`);
  if (response.status !== 200) throw new Error(`get answered ${response.status}`);
  return generationViewSchema.parse(await response.json());
}

