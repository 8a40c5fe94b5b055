import { IMAGE_RULES } from "@/lib/contracts/image-rules";

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
  return image.width / image.height > ratio
    ? { width: image.height * ratio, height: image.height }
    : { width: image.width, height: image.width / ratio };
}

/** Zooming in shrinks the frame; stop while its short side still has more than 300 source pixels. */
export function maxZoomFor(image: Size, ratio: number, ceiling = 5): number {
  const frame = fullFrame(image, ratio);
  const shortSide = Math.min(frame.width, frame.height);
  // A hair under the exact limit, so rounding inside the cropper never lands on 300.
  return Math.max(1, Math.min(ceiling, (shortSide / (IMAGE_RULES.minShortSideExclusive + 1)) * 0.999));
}

export const ratioAllowed = (ratio: number) => ratio >= IMAGE_RULES.minAspect && ratio <= IMAGE_RULES.maxAspect;

/** Presets the image can fill with a frame the model accepts, plus "original" when the photo already fits. */
export function availablePresets(image: Size): AspectPreset[] {
  const fits = (ratio: number) => {
    const frame = fullFrame(image, ratio);
    return Math.min(frame.width, frame.height) > IMAGE_RULES.minShortSideExclusive;
  };
  const presets = ASPECT_PRESETS.filter((preset) => fits(preset.ratio));
  const original = image.width / image.height;
  return ratioAllowed(original) && fits(original)
    ? [{ id: "original", label: "Original", ratio: original }, ...presets]
    : presets;
}

/** A full-size frame of this aspect centred on a point (a face), kept inside the image. */
export function frameAround(image: Size, ratio: number, focus: { x: number; y: number } | null): Area {
  const frame = fullFrame(image, ratio);
  const centre = focus ?? { x: image.width / 2, y: image.height / 2 };
  // Portraits read best with the face a little above the middle of the frame.
  const x = clamp(centre.x - frame.width / 2, 0, image.width - frame.width);
  const y = clamp(centre.y - frame.height * 0.42, 0, image.height - frame.height);
  return { x: Math.round(x), y: Math.round(y), width: Math.round(frame.width), height: Math.round(frame.height) };
}

/** Output size for the upload: the crop, scaled down so its long side is at most `maxLongSide`. */
export function exportSize(area: Size, maxLongSide: number): Size {
  const scale = Math.min(1, maxLongSide / Math.max(area.width, area.height));
  return { width: Math.max(1, Math.round(area.width * scale)), height: Math.max(1, Math.round(area.height * scale)) };
}

const clamp = (value: number, min: number, max: number) => Math.min(Math.max(value, min), Math.max(min, max));
