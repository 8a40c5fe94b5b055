import { z } from "zod";

const dimension = (name: string) =>
  z.coerce
    .number({ error: `${name} must be a whole number of pixels.` })
    .int(`${name} must be a whole number of pixels.`)
    .min(1)
    .max(10_000)
    .optional();

/** GET /api/oembed (https://oembed.com/, section 2.2): the consumer's request. */
export const oembedQuerySchema = z.object({
  url: z.string({ error: "url is required." }).min(1, "url is required.").max(2048, "url is too long."),
  maxwidth: dimension("maxwidth"),
  maxheight: dimension("maxheight"),
  format: z.enum(["json", "xml"], { error: "format must be json or xml." }).optional().default("json"),
});
export type OembedQuery = z.infer<typeof oembedQuerySchema>;

/** The answer: a `video` response (oEmbed 1.0, section 2.3.4.4). */
export const oembedVideoSchema = z.object({
  version: z.literal("1.0"),
  type: z.literal("video"),
  provider_name: z.string(),
  provider_url: z.string().url(),
  title: z.string(),
  html: z.string(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  thumbnail_url: z.string().url(),
  thumbnail_width: z.number().int().positive(),
  thumbnail_height: z.number().int().positive(),
  cache_age: z.number().int().nonnegative().optional(),
});
export type OembedVideo = z.infer<typeof oembedVideoSchema>;
