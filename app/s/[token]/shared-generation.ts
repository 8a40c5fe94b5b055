import "server-only";
import { cache } from "react";
import { shareTokenSchema } from "@/lib/contracts/generation";
import { services } from "@/lib/server/services";

/** One store read per request, shared by the page and its metadata. */
export const loadSharedGeneration = cache(async (token: string) => {
  const parsed = shareTokenSchema.safeParse(token);
  return parsed.success ? (await services()).generations.findShared(parsed.data) : undefined;
});
