import "server-only";
import type { GenerationRecord } from "@/lib/generations/generation-record";
import type { TokenParams } from "@/lib/http/route-params";
import { loadShareCard, type SharedVideo } from "@/lib/share/load-share-card";
import { requireShare } from "@/lib/share/resolve-share";
import { publicOrigin } from "./public-origin";
import { services } from "./services";

/** For public media routes: the generation behind a live link, or the same 404 whatever is wrong with the token. */
export async function sharedGenerationFrom(context: TokenParams): Promise<GenerationRecord> {
  return requireShare((await services()).generations, (await context.params).token);
}

/** A shared video's page card on this request's public origin, or undefined for any dead or malformed token. */
export async function sharedVideoFor(token: string): Promise<SharedVideo | undefined> {
  const [app, origin] = await Promise.all([services(), publicOrigin()]);
  return loadShareCard(app, token, origin);
}
