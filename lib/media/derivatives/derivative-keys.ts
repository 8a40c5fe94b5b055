import { loopFileName } from "@/lib/contracts/derived-media";
import type { DerivativeKind } from "./derivative-record";

const FILE: Record<DerivativeKind, (pingPong: boolean) => string> = {
  frame: () => "frame.jpg",
  preview: () => "preview.webp",
  web: () => "web.mp4",
  light: () => "light.mp4",
  gif: (pingPong) => loopFileName("gif", pingPong),
  webp: (pingPong) => loopFileName("webp", pingPong),
};

/** Media-store key of a derived file, under the generation's own folder. */
export const derivativeKeyFor = (generationId: string, kind: DerivativeKind, pingPong = false) => `derived/${generationId}/${FILE[kind](pingPong)}`;

export const CONTENT_TYPE: Record<DerivativeKind, string> = {
  frame: "image/jpeg",
  preview: "image/webp",
  web: "video/mp4",
  light: "video/mp4",
  gif: "image/gif",
  webp: "image/webp",
};
