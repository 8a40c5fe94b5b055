import { z } from "zod";
import { uploadIdSchema } from "./upload";

/** Where a new generation's portrait comes from: an earlier upload, or (for scripts) a data URL in the body. */
export const portraitSourceFields = {
  /** An upload made with POST /api/uploads (what the studio sends). */
  uploadId: uploadIdSchema.optional(),
  /** data:image/(jpeg|png|webp);base64,... for scripts — the server re-checks the bytes. */
  image: z
    .string({ error: "image must be a data URL of a JPEG, PNG or WebP image." })
    .startsWith("data:", "image must be a data URL (data:image/jpeg;base64,...).")
    .optional(),
};

/** Exactly one of the two sources. */
export function requireOnePortraitSource(body: { uploadId?: string; image?: string }, context: z.RefinementCtx): void {
  if ((body.uploadId === undefined) === (body.image === undefined)) {
    context.addIssue({
      code: "custom",
      path: [body.image === undefined ? "uploadId" : "image"],
      message: "Send either uploadId (from POST /api/uploads) or image (a data URL), not both and not neither.",
    });
  }
}
