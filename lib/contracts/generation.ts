import { z } from "zod";
import { PROMPT_MAX_CODE_POINTS, promptLength } from "./prompt";
import { portraitSourceFields, requireOnePortraitSource } from "./portrait-source";
import { APP_MODES, VIDEO_SPEC } from "./video-spec";

/** One schema per contract, imported by both the studio and the route handlers. */

export const GENERATION_ID_PATTERN = /^[A-Za-z0-9_-]{21}$/;
export const SHARE_TOKEN_PATTERN = /^[A-Za-z0-9_-]{24}$/;

export const generationIdSchema = z.string().regex(GENERATION_ID_PATTERN, "Not a valid generation id.");

export const shareTokenSchema = z.string().regex(SHARE_TOKEN_PATTERN, "Not a valid share token.");

export const promptSchema = z
  .string()
  .refine((value) => promptLength(value) <= PROMPT_MAX_CODE_POINTS, {
    message: `The prompt must be at most ${PROMPT_MAX_CODE_POINTS} characters.`,
  })
  // eslint-disable-next-line no-control-regex -- control characters are what this rejects
  .refine((value) => !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(value), {
    message: "The prompt contains control characters.",
  })
  .refine((value) => !/[\u202A-\u202E\u2066-\u2069]/.test(value), {
    message: "The prompt contains text-direction override characters, which can disguise what it says.",
  })
  .refine((value) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(value), {
    message: "The prompt contains broken Unicode (an unpaired surrogate).",
  });

export const createGenerationBodySchema = z
  .strictObject({
    ...portraitSourceFields,
    prompt: promptSchema.optional().default(""),
    promptOptimizer: z.boolean().optional().default(true),
    watermark: z.boolean().optional().default(false),
  })
  .superRefine(requireOnePortraitSource);
export type CreateGenerationBody = z.input<typeof createGenerationBodySchema>;
export type CreateGenerationInput = z.output<typeof createGenerationBodySchema>;

export const generationStatusSchema = z.enum(["queued", "processing", "succeeded", "failed"]);
export type GenerationStatus = z.infer<typeof generationStatusSchema>;

const FINAL_STATUSES: readonly GenerationStatus[] = ["succeeded", "failed"];
export const isFinalStatus = (status: GenerationStatus) => FINAL_STATUSES.includes(status);
/** Queued or processing: what the tracker still follows. */
export const UNFINISHED_STATUSES = generationStatusSchema.options.filter((status) => !isFinalStatus(status));

export const generationViewSchema = z.object({
  id: z.string(),
  status: generationStatusSchema,
  /** 0..1 when the provider reports it, otherwise null. */
  progress: z.number().min(0).max(1).nullable(),
  prompt: z.string(),
  options: z.object({
    promptOptimizer: z.boolean(),
    watermark: z.boolean(),
    duration: z.literal(VIDEO_SPEC.durationSeconds),
    resolution: z.literal(VIDEO_SPEC.resolution),
  }),
  createdAt: z.string(),
  updatedAt: z.string(),
  completedAt: z.string().nullable(),
  videoUrl: z.string().nullable(),
  downloadUrl: z.string().nullable(),
  /**
   * The cropped portrait the video is made from (called `posterUrl` before; a poster is what a
   * player shows, this is the input). Null once it was removed: a failed generation's portrait
   * goes `UPLOAD_TTL_HOURS` after the failure.
   */
  inputUrl: z.string().nullable(),
  /** Null while the video is not ready or after the owner revoked the link. */
  shareUrl: z.string().nullable(),
  /** When the share link stops working (ISO 8601); null when it never does or there is no live link. */
  shareExpiresAt: z.string().nullable().default(null),
  hidePrompt: z.boolean(),
  /** USD as the provider reported it (decimal string), null until known. */
  cost: z.string().nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  /** Why an unfinished generation is waiting (e.g. the server's storage is full); null otherwise. */
  notice: z.object({ code: z.string(), message: z.string() }).nullable().default(null),
  mode: z.enum(APP_MODES),
  /** Queue: while it waits for a free slot, its place (1 = next) and when it should start. */
  queuePosition: z.number().int().min(1).optional(),
  estimatedStartAt: z.string().optional(),
  /** Takes: the set this generation belongs to, when it was started as one of several. */
  takeSetId: z.string().optional(),
  /** Takes: this is the set's favourite (shown first, shared). */
  favourite: z.boolean().optional(),
  /** The stored video's size, once read from the file (so the player keeps its place before it loads). */
  videoWidth: z.number().int().positive().nullable().optional(),
  videoHeight: z.number().int().positive().nullable().optional(),
  /** The same video with its index first (starts sooner), once made; the light rendition for phones, once made. */
  webVideoUrl: z.string().nullable().optional(),
  lightVideoUrl: z.string().nullable().optional(),
});
export type GenerationView = z.infer<typeof generationViewSchema>;

export const generationListQuerySchema = z.strictObject({
  cursor: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,200}$/, "Not a valid cursor.")
    .optional(),
  limit: z.coerce.number().int().min(1).max(100).optional().default(20),
  status: generationStatusSchema.optional(),
});

export const generationListSchema = z.object({
  items: z.array(generationViewSchema),
  nextCursor: z.string().nullable(),
});
export type GenerationList = z.infer<typeof generationListSchema>;

export const updateGenerationBodySchema = z.strictObject({
  hidePrompt: z.boolean({ error: "hidePrompt must be true or false." }),
});

/** The browser sends its own local midnight and first of the month, so "today" means the user's day. */
export const totalsQuerySchema = z.strictObject({
  dayStart: z.iso.datetime({ offset: true, error: "dayStart must be an ISO 8601 date-time." }),
  monthStart: z.iso.datetime({ offset: true, error: "monthStart must be an ISO 8601 date-time." }),
});

const spendSchema = z.object({
  count: z.number().int().min(0),
  /** Sum of the provider's reported costs, at the provider's precision. */
  costUsd: z.string(),
  /**
   * Generations that may cost money the provider has not reported yet (in flight, or a
   * create whose answer never came), and those at COST_ESTIMATE_USD each: what budgets count on top of costUsd.
   */
  unbilledCount: z.number().int().min(0),
  estimatedUsd: z.string(),
});

export const totalsSchema = z.object({ today: spendSchema, month: spendSchema, allTime: spendSchema });
export type Totals = z.infer<typeof totalsSchema>;
