import { checkImageDimensions, IMAGE_RULES, type ImageRuleViolation } from "@/lib/contracts/image-rules";

export interface Size {
  width: number;
  height: number;
}

export interface Area extends Size {
  x: number;
  y: number;
}

export interface AspectPreset {
  id: string;
  label: string;
  ratio: number;
}

export const ASPECT_PRESETS: readonly AspectPreset[] = [
  { id: "9:16", label: "9:16", ratio: 9 / 16 },
  { id: "2:3", label: "2:3", ratio: 2 / 3 },
  { id: "3:4", label: "3:4", ratio: 3 / 4 },
  { id: "1:1", label: "1:1", ratio: 1 },
  { id: "4:3", label: "4:3", ratio: 4 / 3 },
  { id: "3:2", label: "3:2", ratio: 3 / 2 },
  { id: "16:9", label: "16:9", ratio: 16 / 9 },
];

/** The largest frame of this aspect that fits the image: what the cropper shows at zoom 1. */
export function fullFrame(image: Size, ratio: number): Size {
  return image.width / image.height > ratio ? { width: image.height * ratio, height: image.height } : { width: image.width, height: image.width / ratio };
}

/** Beyond this the view is too coarse to frame by eye, however large the photo. */
export const ZOOM_CEILING = 5;

export interface ZoomLimit {
  max: number;
  /** What stops the zoom: the model's minimum size, or only the cropper's own ceiling. */
  reason: "min-size" | "ceiling";
}

/** Zooming in shrinks the frame; stop while its short side still has more than 300 source pixels. */
export function zoomLimit(image: Size, ratio: number, ceiling = ZOOM_CEILING): ZoomLimit {
  const frame = fullFrame(image, ratio);
  const shortSide = Math.min(frame.width, frame.height);
  // A hair under the exact limit, so the cropper's rounding never lands on 300.
  const bySize = (shortSide / (IMAGE_RULES.minShortSideExclusive + 1)) * 0.999;
  return bySize < ceiling ? { max: Math.max(1, bySize), reason: "min-size" } : { max: ceiling, reason: "ceiling" };
}

const ratioAllowed = (ratio: number) => ratio >= IMAGE_RULES.minAspect && ratio <= IMAGE_RULES.maxAspect;

/** Presets the image can fill with a frame the model accepts, plus "original" when the photo already fits. */
export function availablePresets(image: Size): AspectPreset[] {
  const fits = (ratio: number) => {
    const frame = fullFrame(image, ratio);
    return Math.min(frame.width, frame.height) > IMAGE_RULES.minShortSideExclusive;
  };
  const presets = ASPECT_PRESETS.filter((preset) => fits(preset.ratio));
  const original = image.width / image.height;
  return ratioAllowed(original) && fits(original) ? [{ id: "original", label: "Original", ratio: original }, ...presets] : presets;
}

/** A full-size frame of this aspect centred on a point (a face), kept inside the image. */
export function frameAround(image: Size, ratio: number, focus: { x: number; y: number } | null): Area {
  const exact = fullFrame(image, ratio);
  // Whole pixels, rounded down so the frame always lies inside the photo.
  const frame = { width: Math.floor(exact.width), height: Math.floor(exact.height) };
  const centre = focus ?? { x: image.width / 2, y: image.height / 2 };
  // Portraits read best with the face a little above the middle of the frame.
  const x = clamp(Math.round(centre.x - frame.width / 2), 0, image.width - frame.width);
  const y = clamp(Math.round(centre.y - frame.height * 0.42), 0, image.height - frame.height);
  return { x, y, ...frame };
}

/** Output size for the upload: the crop, scaled down so its long side is at most `maxLongSide`. */
export function exportSize(area: Size, maxLongSide: number): Size {
  const scale = Math.min(1, maxLongSide / Math.max(area.width, area.height));
  return { width: Math.max(1, Math.round(area.width * scale)), height: Math.max(1, Math.round(area.height * scale)) };
}

/**
 * The crop the upload will be made from, checked against the model's rules after the
 * export's downscale: the last guard before anything is sent.
 */
export function checkCrop(area: Size, maxLongSide: number): ImageRuleViolation | null {
  const out = exportSize(area, maxLongSide);
  return checkImageDimensions(out.width, out.height);
}

const clamp = (value: number, min: number, max: number) => Math.min(Math.max(value, min), Math.max(min, max));

/**
 * How finely a photo must be decoded for framing and upload: at zoom 1 every frame's long
 * side is at least the photo's short side, so that many pixels scaled to the upload's
 * long side is all the upload can use. Deeper zooms decode the full photo when they need it.
 */
export function workingScale(image: Size, maxLongSide: number): number {
  return Math.min(1, maxLongSide / Math.min(image.width, image.height));
}
