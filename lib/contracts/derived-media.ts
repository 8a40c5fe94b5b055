import { z } from "zod";

/** Loops (animated GIF / WebP) made on request from a finished video. */
export const LOOP_FORMATS = ["gif", "webp"] as const;
export type LoopFormat = (typeof LOOP_FORMATS)[number];
/** Made for every stored result: the preview and full frame, the index-first remux, the light rendition. */
export const BASE_DERIVATIVE_KINDS = ["preview", "frame", "web", "light"] as const;
/** Every file made from a stored result; the loops' kinds are their formats. */
export const DERIVATIVE_KINDS = [...BASE_DERIVATIVE_KINDS, ...LOOP_FORMATS] as const;
export type DerivativeKind = (typeof DERIVATIVE_KINDS)[number];
export const DERIVATIVE_STATES = ["queued", "running", "ready", "failed"] as const;
export type DerivativeState = (typeof DERIVATIVE_STATES)[number];

export const isLoopFormat = (kind: DerivativeKind): kind is LoopFormat => (LOOP_FORMATS as readonly string[]).includes(kind);

export const loopFormatSchema = z.enum(LOOP_FORMATS, { error: `format must be ${LOOP_FORMATS.map((format) => `"${format}"`).join(" or ")}.` });

export const loopRequestSchema = z.strictObject({
  format: loopFormatSchema,
  pingPong: z.boolean({ error: "pingPong must be true or false." }).optional().default(false),
});
export type LoopRequest = z.input<typeof loopRequestSchema>;

export const loopStatusSchema = z.object({
  format: loopFormatSchema,
  pingPong: z.boolean(),
  state: z.enum(DERIVATIVE_STATES),
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

export const loopFileName = (format: LoopFormat, pingPong: boolean) => `loop${pingPong ? "-pingpong" : ""}.${format}`;

/** `loop.gif`, `loop-pingpong.webp`, ...: the file names under …/loops/{file}. */
export const loopFileSchema = z
  .string()
  .regex(
    new RegExp(`^loop(-pingpong)?\\.(${LOOP_FORMATS.join("|")})$`),
    `Not a loop file name (${[false, true].flatMap((pingPong) => LOOP_FORMATS.map((format) => loopFileName(format, pingPong))).join(", ")}).`,
  );

export function parseLoopFile(file: string): { format: LoopFormat; pingPong: boolean } {
  return { format: LOOP_FORMATS.find((format) => file.endsWith(`.${format}`)) ?? LOOP_FORMATS[0], pingPong: file.includes("-pingpong") };
}

/** The frame routes: `small` is the preview pages show first (the full frame until it is made). */
export const frameSizeSchema = z.enum(["full", "small"], { error: 'size must be "full" or "small".' }).optional();

/** Which stored rendition the video routes serve. */
export const renditionSchema = z.enum(["web", "light"], { error: 'rendition must be "web" or "light".' }).optional();
