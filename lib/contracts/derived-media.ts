import { z } from "zod";

/** Loops (animated GIF / WebP) made on request from a finished video. */
export const loopFormatSchema = z.enum(["gif", "webp"], { error: 'format must be "gif" or "webp".' });

export const loopRequestSchema = z.strictObject({
  format: loopFormatSchema,
  pingPong: z.boolean({ error: "pingPong must be true or false." }).optional().default(false),
});
export type LoopRequest = z.input<typeof loopRequestSchema>;

export const loopStatusSchema = z.object({
  format: loopFormatSchema,
  pingPong: z.boolean(),
  state: z.enum(["queued", "running", "ready", "failed"]),
  /** 0..1 while it is being made. */
  progress: z.number().min(0).max(1).nullable(),
  /** Where to download it, once ready. */
  url: z.string().nullable(),
  bytes: z.number().int().nullable(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  error: z.string().nullable(),
});
export type LoopStatus = z.infer<typeof loopStatusSchema>;

export const loopListSchema = z.object({
  loops: z.array(loopStatusSchema),
  /** Whether visitors of the share link may make and download loops. */
  shareLoops: z.boolean(),
});
export type LoopList = z.infer<typeof loopListSchema>;

export const loopSettingsSchema = z.strictObject({
  shareLoops: z.boolean({ error: "shareLoops must be true or false." }),
});

/** `loop.gif`, `loop-pingpong.webp`, ...: the file names under …/loops/{file}. */
export const loopFileSchema = z
  .string()
  .regex(/^loop(-pingpong)?\.(gif|webp)$/, "Not a loop file name (loop.gif, loop.webp, loop-pingpong.gif, loop-pingpong.webp).");

export const loopFileName = (format: "gif" | "webp", pingPong: boolean) => `loop${pingPong ? "-pingpong" : ""}.${format}`;

export function parseLoopFile(file: string): { format: "gif" | "webp"; pingPong: boolean } {
  return { format: file.endsWith(".gif") ? "gif" : "webp", pingPong: file.includes("-pingpong") };
}

/** The frame routes: `small` is the preview pages show first (the full frame until it is made). */
export const frameSizeSchema = z.enum(["full", "small"], { error: 'size must be "full" or "small".' }).optional();

/** Which stored rendition the video routes serve. */
export const renditionSchema = z.enum(["web", "light"], { error: 'rendition must be "web" or "light".' }).optional();
