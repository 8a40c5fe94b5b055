import "server-only";
import type { GenerationRecord } from "@/lib/generations/generation-record";
import { requireShare } from "@/lib/share/resolve-share";

export type TokenParams = { params: Promise<{ token: string }> };

/** For public media routes: the same 404 whatever is wrong with the token. */
export async function sharedGenerationFrom(context: TokenParams): Promise<GenerationRecord> {
  return requireShare((await context.params).token);
}
