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

/** Creates a generation the way a script would: from an upload, or with the image as a data URL in the JSON. */
export async function createGeneration(baseUrl: string, options: CreateOptions & ({ image: string } | { uploadId: string })): Promise<GenerationView> {
  const { idempotencyKey, ...body } = options;
  const response = await postGeneration(baseUrl, body, idempotencyKey ? { "Idempotency-Key": idempotencyKey } : {});
  const json: unknown = await response.json();
  if (response.status !== 201 && response.status !== 200) throw new Error(`create answered ${response.status}: ${JSON.stringify(json)}`);
  return generationViewSchema.parse(json);
}

/** Polls our own status route until the generation is final. */
export async function waitForFinal(baseUrl: string, id: string, timeoutMs = 30_000): Promise<GenerationView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await fetch(`${baseUrl}/api/generations/${id}`);
    const view = generationViewSchema.parse(await response.json());
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
