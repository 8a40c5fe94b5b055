import { generationViewSchema, type GenerationView } from "@/lib/contracts/generation";

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

/** Polls our own status route (cheap: it reads the store) until a final state. */
export async function waitForFinal(baseUrl: string, id: string, timeoutMs = 30_000): Promise<GenerationView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const view = await getGeneration(baseUrl, id);
    if (view.status === "succeeded" || view.status === "failed") return view;
    if (Date.now() > deadline) throw new Error(`generation ${id} still ${view.status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function waitFor<T>(probe: () => Promise<T | undefined | null | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
