import { z } from "zod";
import type { VIDEO_SPEC } from "@/lib/contracts/video-spec";

/**
 * The gateway's wire format, parsed leniently: every variant seen in public clients
 * is accepted here and nowhere else in the app.
 */
export const VTRIX_MODEL = "minimax_i2v_01_live";
export const CREATE_PATH = "/model/v1/generation";
export const taskPath = (taskId: string) => `/model/v1/generation/task/${encodeURIComponent(taskId)}`;

interface WireCreateParams {
  first_frame_image: string;
  prompt?: string;
  duration: (typeof VIDEO_SPEC)["durationSeconds"];
  resolution: (typeof VIDEO_SPEC)["resolution"];
  prompt_optimizer: boolean;
  aigc_watermark: boolean;
  callback_url?: string;
}

export interface WireCreateBody {
  model: typeof VTRIX_MODEL;
  input: [{ params: WireCreateParams }];
}

const wireCode = z.union([z.number(), z.string()]);

const wireContentItem = z.looseObject({
  type: z.string().nullish(),
  url: z.string().nullish(),
});

const wireContentHolder = z.looseObject({ content: z.array(wireContentItem).nullish() });

const wireOutputSchema = z
  .union([z.array(wireContentHolder), wireContentHolder])
  .nullish()
  .catch(null);

const wireErrorSchema = z
  .union([
    z.string(),
    z.looseObject({
      code: wireCode.nullish(),
      error_message: z.string().nullish(),
      message: z.string().nullish(),
    }),
  ])
  .nullish()
  .catch(null);

export const wireTaskSchema = z.looseObject({
  id: z.union([z.string().min(1), z.number()]).transform(String),
  status: z.string(),
  model: z.string().nullish(),
  created_at: z.union([z.number(), z.string()]).nullish(),
  progress: z.union([z.number(), z.string()]).nullish().catch(null),
  output: wireOutputSchema,
  usage: z
    .looseObject({ cost: z.union([z.string(), z.number()]).nullish() })
    .nullish()
    .catch(null),
  error: wireErrorSchema,
});

export type WireTask = z.infer<typeof wireTaskSchema>;

/** Some gateways wrap the task in `{ data: ... }`; accept both. */
export function unwrapTaskBody(body: unknown): unknown {
  if (body && typeof body === "object" && !("status" in body) && "data" in body) {
    return (body as { data: unknown }).data;
  }
  return body;
}

/** What a task id may look like before we ask the gateway about it (it goes into a URL path). */
const wireTaskIdSchema = z
  .union([z.string(), z.number().int().nonnegative()])
  .transform(String)
  .pipe(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/));

const wireTaskIdFields = {
  id: wireTaskIdSchema.optional().catch(undefined),
  task_id: wireTaskIdSchema.optional().catch(undefined),
  taskId: wireTaskIdSchema.optional().catch(undefined),
};

/**
 * Callback bodies are not documented: assume the task object (maybe wrapped in `data`),
 * or MiniMax's own `task_id`. Only the task id is read, and only as a lead to verify.
 */
export const wireNotificationSchema = z.looseObject({
  ...wireTaskIdFields,
  data: z.looseObject(wireTaskIdFields).optional().catch(undefined),
});
