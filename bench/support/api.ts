import { generationViewSchema, type GenerationView } from "@/lib/contracts/generation";

/** Creates a generation the way a script would (image as a data URL in the JSON). */
export async function createGeneration(baseUrl: string, body: { image: string; prompt?: string }): Promise<GenerationView> {
  const response = await fetch(`${baseUrl}/api/generations`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
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
