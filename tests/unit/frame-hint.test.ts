import { describe, expect, it } from "vitest";
import { frameHint } from "@/components/studio/frame-hint";

const face = { x: 10, y: 10, width: 100, height: 100 };
const roomy = { max: 3, reason: "ceiling" as const };
const hint = (state: Partial<Parameters<typeof frameHint>[0]>) => frameHint({ limit: roomy, atLimit: false, face, framedOnFace: true, ...state });

describe("frameHint", () => {
  it("says first that a photo too small to zoom cannot zoom, whatever the face", () => {
    expect(hint({ limit: { max: 1, reason: "min-size" }, atLimit: true, face: undefined })).toMatch(/only just large enough/);
  });

  it("explains a zoom stopped by the model's minimum size with the minimum in pixels", () => {
    expect(hint({ limit: { max: 2, reason: "min-size" }, atLimit: true })).toMatch(/as close as it goes.*300 px or less/);
    expect(hint({ limit: { max: 2, reason: "ceiling" }, atLimit: true })).toBe("That is the closest zoom.");
  });

  it("then tells what face detection found", () => {
    expect(hint({ face: undefined })).toMatch(/Looking for a face/);
    expect(hint({ face: null })).toMatch(/No face found/);
    expect(hint({ framedOnFace: false })).toMatch(/Face found\. Pick a frame shape/);
    expect(hint({})).toMatch(/Framed on the face/);
  });
});
