import "server-only";
import { shareTokenSchema } from "@/lib/contracts/generation";
import { notFound } from "@/lib/errors";
import type { GenerationRecord } from "@/lib/generations/generation-record";
import { services } from "@/lib/server/services";

export type TokenParams = { params: Promise<{ token: string }> };

/** The playable generation behind a live share link; malformed, unknown and revoked tokens all give nothing. */
export async function findSharedGeneration(token: string): Promise<GenerationRecord | undefined> {
  const parsed = shareTokenSchema.safeParse(token);
  return parsed.success ? (await services()).generations.findShared(parsed.data) : undefined;
}

/** For public media routes: the same 404 whatever is wrong with the token. */
export async function sharedGenerationFrom(context: TokenParams): Promise<GenerationRecord> {
  const shared = await findSharedGeneration((await context.params).token);
  if (!shared) throw notFound("shared video");
  return shared;
}
