import { IMAGE_RULES } from "@/lib/contracts/image-rules";

/** An image just under 20 MB, base64-encoded (4 characters per 3 bytes), plus room for the other fields. */
export const MAX_CREATE_BODY_BYTES = Math.ceil((IMAGE_RULES.maxBytes * 4) / 3) + 64 * 1024;
/** Provider notifications are small task objects. */
export const MAX_CALLBACK_BODY_BYTES = 64 * 1024;
/** A multipart upload: the image (under 20 MB) plus room for the part headers and boundary. */
export const MAX_MULTIPART_UPLOAD_BYTES = IMAGE_RULES.maxBytes + 64 * 1024;
