import "server-only";
import { shareTokenSchema } from "@/lib/contracts/generation";
import { notFound } from "@/lib/errors";
import type { GenerationRecord } from "@/lib/generations/generation-record";
import { services } from "@/lib/server/services";

export type TokenParams = { params: Promise<{ token: string }> };

/** The generation behind a live share link. Malformed, unknown and revoked tokens all answer the same 404. */
export async function sharedGenerationFrom(context: TokenParams): Promise<GenerationRecord> {
  const { token } = await context.params;
  const parsed = shareTokenSchema.safeParse(token);
  const shared = parsed.success ? await (await services()).generations.findShared(parsed.data) : undefined;
  if (!shared) throw notFound("shared video");
  return shared;
}
