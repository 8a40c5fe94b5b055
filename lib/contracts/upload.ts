import { z } from "zod";
import { IMAGE_RULES } from "./image-rules";

/** One schema per contract, imported by both the studio and the route handlers. */

export const UPLOAD_ID_PATTERN = /^[A-Za-z0-9_-]{21}$/;

export const uploadIdSchema = z.string().regex(UPLOAD_ID_PATTERN, "Not a valid upload id.");

/** Content types `POST /api/uploads` takes as a raw body (multipart/form-data carries one of these in its `image` field). */
export const UPLOAD_CONTENT_TYPES = IMAGE_RULES.mimeTypes;

/** What `POST /api/uploads` answers (201): the portrait as stored, upright and without metadata. */
export const uploadViewSchema = z.object({
  id: uploadIdSchema,
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  bytes: z.number().int().positive(),
  /** When an upload no generation uses is swept (ISO 8601). */
  expiresAt: z.string(),
});
export type UploadView = z.infer<typeof uploadViewSchema>;
