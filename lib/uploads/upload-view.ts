import type { UploadView } from "@/lib/contracts/upload";
import type { UploadRecord } from "./upload-record";

/** What POST /api/uploads answers about a freshly stored upload. */
export function toUploadView(upload: UploadRecord): UploadView {
  return {
    id: upload.id,
    width: upload.width,
    height: upload.height,
    // Only inputs stored before uploads existed lack a size, and they are never answered here.
    bytes: upload.bytes ?? 0,
    expiresAt: upload.expiresAt,
  };
}
