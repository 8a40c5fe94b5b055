import "server-only";
import { checkImageBytes, IMAGE_RULES } from "@/lib/contracts/image-rules";
import { UPLOAD_CONTENT_TYPES } from "@/lib/contracts/upload";
import { ApiError } from "@/lib/errors";
import { MAX_MULTIPART_UPLOAD_BYTES } from "./limits";
import { readBodyBytes } from "./read-body";

const imageTooLarge = () => new ApiError("image_too_large", "The image must be under 20 MB.", "image");

/**
 * The image of `POST /api/uploads`: the raw body (`Content-Type: image/jpeg|png|webp`) or the
 * `image` field of a multipart form, counted as it streams in. The declared type is only a
 * hint; the bytes are judged afterwards.
 */
export async function readUploadBody(request: Request): Promise<Buffer> {
  const contentType = request.headers.get("content-type") ?? "";
  const mediaType = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  if ((UPLOAD_CONTENT_TYPES as readonly string[]).includes(mediaType)) {
    return readBodyBytes(request, IMAGE_RULES.maxBytes - 1, imageTooLarge);
  }
  if (mediaType === "multipart/form-data") return readMultipartImage(request, contentType);
  throw new ApiError(
    "unsupported_media_type",
    `Send the image as the request body with Content-Type ${UPLOAD_CONTENT_TYPES.join(", ")}, or as the "image" field of multipart/form-data.`,
  );
}

async function readMultipartImage(request: Request, contentType: string): Promise<Buffer> {
  const body = await readBodyBytes(request, MAX_MULTIPART_UPLOAD_BYTES);
  let form: FormData;
  try {
    // Parsed from the bounded buffer, never from the open stream.
    form = await new Response(new Uint8Array(body), { headers: { "content-type": contentType } }).formData();
  } catch {
    throw new ApiError("invalid_body", "The request body is not valid multipart/form-data.");
  }
  const extra = [...form.keys()].find((name) => name !== "image");
  if (extra !== undefined)
    throw new ApiError("invalid_body", `Unexpected form field ${JSON.stringify(extra.slice(0, 40))}: send only "image".`, extra.slice(0, 40));
  const images = form.getAll("image");
  const image = images[0];
  if (images.length !== 1 || !image || typeof image === "string") {
    throw new ApiError("invalid_body", 'Send exactly one file in the "image" field.', "image");
  }
  const sizeError = checkImageBytes(image.size);
  if (sizeError) throw new ApiError("image_too_large", sizeError.message, "image");
  if (image.size === 0) throw new ApiError("invalid_image", "The image file is empty.", "image");
  return Buffer.from(await image.arrayBuffer());
}
