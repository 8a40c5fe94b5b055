import type { ShareExpiry } from "@/lib/contracts/share";
import { oembedVideoSchema, type OembedVideo } from "@/lib/contracts/oembed";
import {
  type CreateGenerationBody,
  generationListSchema,
  generationViewSchema,
  totalsSchema,
  type GenerationList,
  type GenerationStatus,
  type GenerationView,
  type Totals,
} from "@/lib/contracts/generation";
import { generationPath, generationsPath, oembedPath, rerunPath, shareLinkPath, totalsPath } from "@/lib/contracts/paths";
import { ApiRequestError } from "./api-request-error";
import { requestJson } from "./request-json";

export { ApiRequestError };

const jsonBody = (body: unknown): RequestInit => ({
  body: JSON.stringify(body),
  headers: { "Content-Type": "application/json" },
});

export const generationsApi = {
  create: (body: CreateGenerationBody, idempotencyKey: string): Promise<GenerationView> =>
    requestJson(generationViewSchema, generationsPath, {
      method: "POST",
      ...jsonBody(body),
      headers: { "Content-Type": "application/json", "Idempotency-Key": idempotencyKey },
    }),

  get: (id: string): Promise<GenerationView> => requestJson(generationViewSchema, generationPath(id)),

  list(options: { cursor?: string; status?: GenerationStatus; limit?: number }): Promise<GenerationList> {
    const query = new URLSearchParams();
    if (options.cursor) query.set("cursor", options.cursor);
    if (options.status) query.set("status", options.status);
    query.set("limit", String(options.limit ?? 24));
    return requestJson(generationListSchema, `${generationsPath}?${query}`);
  },

  /** "Today" and "this month" in the viewer's own time zone. */
  totals(now = new Date()): Promise<Totals> {
    const query = new URLSearchParams({
      dayStart: new Date(now.getFullYear(), now.getMonth(), now.getDate()).toISOString(),
      monthStart: new Date(now.getFullYear(), now.getMonth(), 1).toISOString(),
    });
    return requestJson(totalsSchema, `${totalsPath}?${query}`);
  },

  remove: (id: string) => requestJson(null, generationPath(id), { method: "DELETE" }),

  rerun: (id: string, idempotencyKey: string): Promise<GenerationView> =>
    requestJson(generationViewSchema, rerunPath(id), {
      method: "POST",
      headers: { "Idempotency-Key": idempotencyKey },
    }),

  renewShareLink: (id: string, expiresIn: ShareExpiry = "never"): Promise<GenerationView> =>
    requestJson(generationViewSchema, shareLinkPath(id), { method: "POST", ...jsonBody({ expiresIn }) }),

  setShareExpiry: (id: string, expiresIn: ShareExpiry): Promise<GenerationView> =>
    requestJson(generationViewSchema, shareLinkPath(id), { method: "PATCH", ...jsonBody({ expiresIn }) }),

  revokeShareLink: (id: string): Promise<GenerationView> => requestJson(generationViewSchema, shareLinkPath(id), { method: "DELETE" }),

  /** The embed code and preview image of a share link, as oEmbed consumers get them. */
  oembed: (shareUrl: string): Promise<OembedVideo> => requestJson(oembedVideoSchema, oembedPath(shareUrl)),

  setHidePrompt: (id: string, hidePrompt: boolean): Promise<GenerationView> =>
    requestJson(generationViewSchema, generationPath(id), { method: "PATCH", ...jsonBody({ hidePrompt }) }),
};

/** Share links may be paths when no public origin is configured: make them absolute for copying. */
export function absoluteUrl(pathOrUrl: string): string {
  return new URL(pathOrUrl, window.location.origin).toString();
}
