import { VIDEO_SPEC } from "@/lib/contracts/video-spec";

/** The model renders 720P keeping the portrait's aspect: the short side is 720, sides even. */
export function outputSize(width: number, height: number): { width: number; height: number } {
  const even = (value: number) => Math.max(2, Math.round(value / 2) * 2);
  const short = VIDEO_SPEC.shortSidePx;
  return width >= height ? { width: even((short * width) / height), height: short } : { width: short, height: even((short * height) / width) };
}
