import { z } from "zod";

import { APP_MODES } from "./video-spec";

/** Where the ffmpeg in use came from. */
export const FFMPEG_SOURCES = ["FFMPEG_PATH", "PATH", "bundled"] as const;

/** What `GET /api/health` answers. */
export const healthSchema = z.object({
  ok: z.boolean(),
  mode: z.enum(APP_MODES),
  store: z.object({ ok: z.boolean(), kind: z.enum(["sqlite", "postgres"]) }),
  /** `problem` says why media is not ok: unreachable, or less free space than MEDIA_MIN_FREE_MB. */
  media: z.object({ ok: z.boolean(), kind: z.enum(["local", "s3"]), problem: z.enum(["unreachable", "low_space"]).optional() }),
  upstream: z.object({ configured: z.boolean(), baseUrl: z.string() }),
  /** Which ffmpeg makes derived media: FFMPEG_PATH, one on PATH, or the bundled 2018 build; and whether ffprobe is there. */
  ffmpeg: z.object({ source: z.enum(FFMPEG_SOURCES), version: z.string().nullable(), ffprobe: z.boolean() }),
});
export type Health = z.infer<typeof healthSchema>;
