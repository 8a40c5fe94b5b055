import sharp from "sharp";
import { z } from "zod";

/** What the gateway accepts, as its parameter page documents it. */
export const MODEL = "minimax_i2v_01_live";

export const createBodySchema = z.object({
  model: z.literal(MODEL, { error: `model must be ${MODEL}` }),
  input: z
    .array(
      z.object({
        params: z.object({
          first_frame_image: z.string({ error: "first_frame_image is required" }),
          prompt: z.string().optional(),
          duration: z.literal(6, { error: "duration must be 6" }).optional(),
          resolution: z.literal("720P", { error: "resolution must be 720P" }).optional(),
          prompt_optimizer: z.boolean({ error: "prompt_optimizer must be a boolean" }).optional(),
          aigc_watermark: z.boolean({ error: "aigc_watermark must be a boolean" }).optional(),
          callback_url: z.url({ error: "callback_url must be a URL" }).optional(),
        }),
      }),
    )
    .length(1, "input must hold exactly one item"),
});

export type CreateParams = z.infer<typeof createBodySchema>["input"][number]["params"];

export interface ImageFacts {
  bytes: number;
  format: "jpeg" | "png" | "webp" | "url";
  width: number;
  height: number;
}

/** Checks first_frame_image against the documented rules; returns a problem or the facts. */
export async function inspectFirstFrame(value: string): Promise<ImageFacts | string> {
  if (value.startsWith("https://")) return { bytes: 0, format: "url", width: 0, height: 0 };
  const match = /^data:image\/[a-z]+;base64,(.*)$/s.exec(value);
  if (!match?.[1]) return "first_frame_image must be a public URL or a base64 data URL";
  const bytes = Buffer.from(match[1], "base64");
  if (bytes.length >= 20 * 1024 * 1024) return "image must be smaller than 20MB";
  const format =
    bytes[0] === 0xff && bytes[1] === 0xd8
      ? "jpeg"
      : bytes.subarray(0, 4).toString("latin1") === "\x89PNG"
        ? "png"
        : bytes.subarray(8, 12).toString("latin1") === "WEBP"
          ? "webp"
          : null;
  if (!format) return "image format must be JPG, JPEG, PNG or WebP";
  let width = 0;
  let height = 0;
  try {
    ({ width = 0, height = 0 } = await sharp(bytes).metadata());
  } catch {
    return "image cannot be decoded";
  }
  if (Math.min(width, height) <= 300) return "image short side must be greater than 300px";
  const aspect = width / height;
  if (aspect < 0.4 || aspect > 2.5) return "image aspect ratio must be between 2:5 and 5:2";
  return { bytes: bytes.length, format, width, height };
}

export function promptProblem(prompt: string | undefined): string | null {
  return prompt !== undefined && [...prompt].length > 2000 ? "prompt must be at most 2000 characters" : null;
}
