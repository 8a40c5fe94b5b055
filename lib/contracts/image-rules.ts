/**
 * What the model accepts as a first frame (provider parameter page).
 * Shared by the browser (before upload) and the server (authoritative re-check).
 */
export const IMAGE_RULES = {
  maxBytes: 20 * 1024 * 1024,
  /** The short side must be strictly greater than this. */
  minShortSideExclusive: 300,
  /** width / height must lie within [2/5, 5/2]. */
  minAspect: 2 / 5,
  maxAspect: 5 / 2,
  mimeTypes: ["image/jpeg", "image/png", "image/webp"] as const,
  /**
   * The server stores (and sends) inputs with at most this long side: what a 720P video can
   * use (the studio's 3:4 crop is 960×1280). At any accepted aspect the short side stays at
   * 512 px or more, so scaling down never breaks the rules above.
   */
  storedMaxLongSide: 1280,
} as const;

export type AcceptedImageType = (typeof IMAGE_RULES.mimeTypes)[number];

export type ImageRuleViolation =
  { code: "image_too_large"; message: string } | { code: "image_too_small"; message: string } | { code: "image_aspect"; message: string };

const formatMb = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

export function checkImageBytes(byteLength: number): ImageRuleViolation | null {
  if (byteLength >= IMAGE_RULES.maxBytes) {
    return {
      code: "image_too_large",
      message: `The image is ${formatMb(byteLength)}; it must be under 20 MB.`,
    };
  }
  return null;
}

export function checkImageDimensions(width: number, height: number): ImageRuleViolation | null {
  const shortSide = Math.min(width, height);
  if (shortSide <= IMAGE_RULES.minShortSideExclusive) {
    return {
      code: "image_too_small",
      message: `The image is ${width}×${height} px; its short side must be more than ${IMAGE_RULES.minShortSideExclusive} px.`,
    };
  }
  const aspect = width / height;
  if (aspect < IMAGE_RULES.minAspect || aspect > IMAGE_RULES.maxAspect) {
    return {
      code: "image_aspect",
      message: `The image is ${width}×${height} px; its aspect ratio must be between 2:5 and 5:2.`,
    };
  }
  return null;
}
