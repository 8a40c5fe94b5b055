import { z } from "zod";
import { GENERATION_ID_PATTERN, generationViewSchema, promptSchema } from "./generation";
import { portraitSourceFields, requireOnePortraitSource } from "./portrait-source";
import { MAX_TAKES, MIN_TAKES } from "./take-limits";

/** Takes: several motions from one portrait, started together and compared side by side. */

export { MAX_TAKES, MIN_TAKES } from "./take-limits";

export const takeSetIdSchema = z.string().regex(GENERATION_ID_PATTERN, "Not a valid take set id.");

export const takeSchema = z.strictObject({
  prompt: promptSchema.refine((value) => value.trim().length > 0, { message: "Each take needs a prompt describing its motion." }),
  promptOptimizer: z.boolean().optional().default(true),
  watermark: z.boolean().optional().default(false),
});

export const createTakesBodySchema = z
  .strictObject({
    ...portraitSourceFields,
    takes: z
      .array(takeSchema, { error: `takes must be a list of ${MIN_TAKES} to ${MAX_TAKES} takes.` })
      .min(MIN_TAKES, `Send at least ${MIN_TAKES} take.`)
      .max(MAX_TAKES, `At most ${MAX_TAKES} takes can be started together.`),
  })
  .superRefine(requireOnePortraitSource);
export type CreateTakesBody = z.input<typeof createTakesBodySchema>;
export type CreateTakesInput = z.output<typeof createTakesBodySchema>;

export const takeSetViewSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  /** The take shown first and shared; null until one is picked. */
  favouriteId: z.string().nullable(),
  /** In the order they were asked for (favourite not moved). */
  generations: z.array(generationViewSchema),
});
export type TakeSetView = z.infer<typeof takeSetViewSchema>;

export const updateTakeSetBodySchema = z.strictObject({
  favouriteId: z
    .string({ error: "favouriteId must be the id of one of this set's takes, or null." })
    .regex(GENERATION_ID_PATTERN, "favouriteId must be the id of one of this set's takes, or null.")
    .nullable(),
});

/** What the studio needs to say what a click will start and cost (GET /api/queue). */
export const queueStatusSchema = z.object({
  maxInFlight: z.number().int(),
  maxQueued: z.number().int(),
  running: z.number().int(),
  waiting: z.number().int(),
  /** Per take: the average of recently reported costs, or the estimate when none is known. */
  costPerTakeUsd: z.string(),
  costIsEstimate: z.boolean(),
  /** What the tightest budget still allows (estimates counted), null without budgets. */
  budgetRemainingUsd: z.string().nullable(),
  /** What budgets reserve per generation until the provider reports its cost. */
  costEstimateUsd: z.string(),
});
export type QueueStatus = z.infer<typeof queueStatusSchema>;
