import { z } from "zod";

import { APP_MODES } from "./video-spec";

/** What `GET /api/health` answers. */
export const healthSchema = z.object({
  ok: z.boolean(),
  mode: z.enum(APP_MODES),
  store: z.object({ ok: z.boolean(), kind: z.enum(["sqlite", "postgres"]) }),
  /** `problem` says why media is not ok: unreachable, or less free space than MEDIA_MIN_FREE_MB. */
  media: z.object({ ok: z.boolean(), kind: z.enum(["local", "s3"]), problem: z.enum(["unreachable", "low_space"]).optional() }),
  upstream: z.object({ configured: z.boolean(), baseUrl: z.string() }),
});
export type Health = z.infer<typeof healthSchema>;
