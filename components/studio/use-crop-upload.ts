"use client";

import { useEffect, useState, useSyncExternalStore } from "react";
import type { Area } from "@/lib/client/crop-math";
import { CropUploader, type UploadState } from "@/lib/client/crop-uploader";
import type { WorkingImage } from "@/lib/client/decode-portrait";
import { exportCrop } from "@/lib/client/export-crop";

// The upload code brings the upload contract (zod): fetched at drop, not in the first load.
let uploadModule: Promise<typeof import("@/lib/client/upload-image")> | null = null;
const loadUploadImage = () => (uploadModule ??= import("@/lib/client/upload-image"));
export const prepareToUpload = () => void loadUploadImage();

const IDLE: UploadState = { phase: "idle" };

/** Names one framing of one photo: the preview URL is unique per photo, the area in source pixels names the framing. */
export const framingKeyFor = (image: { previewUrl: string }, area: Area) => `${image.previewUrl}#${area.x},${area.y},${area.width},${area.height}`;

/**
 * Keeps the upload of the framing on screen going while the user writes the prompt
 * (see CropUploader): `image` and `area` are the photo and its framing, null while there
 * is none.
 */
export function useCropUpload(image: (WorkingImage & { previewUrl: string }) | null, area: Area | null) {
  const [uploader] = useState(() => new CropUploader({ upload: async (blob, options) => (await loadUploadImage()).uploadImage(blob, options) }));
  useEffect(() => () => uploader.dispose(), [uploader]);
  useEffect(() => {
    if (!image || !area) return uploader.setFraming(null);
    uploader.setFraming({
      key: framingKeyFor(image, area),
      encode: () => exportCrop(image, area),
    });
  }, [uploader, image, area]);
  const state = useSyncExternalStore(uploader.subscribe, uploader.getState, () => IDLE);
  return { state, uploader };
}
