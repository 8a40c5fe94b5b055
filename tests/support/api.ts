import { generationViewSchema, type GenerationView } from "@/lib/contracts/generation";

/** Creating and polling generations over HTTP (cheap: the status route reads the store), shared with the benchmarks. */
export { createGeneration, postGeneration, waitFor, waitForFinal, type CreateOptions } from "../../bench/support/api";

export async function getGeneration(baseUrl: string, id: string): Promise<GenerationView> {
  const response = await fetch(`${baseUrl}/api/generations/${id}`);
  if (response.status !== 200) throw new Error(`get answered ${response.status}`);
  return generationViewSchema.parse(await response.json());
}

/** Signs in with the password and answers the session cookie (`name=value`) to send back. */
export async function signInCookie(baseUrl: string, password: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/session`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ password }),
  });
  if (response.status !== 204) throw new Error(`sign-in answered ${response.status}`);
  return (response.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
}
