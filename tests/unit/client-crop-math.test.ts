import { describe, expect, it } from "vitest";
import { ASPECT_PRESETS, availablePresets, checkCrop, exportSize, frameAround, fullFrame, ZOOM_CEILING, zoomLimit, workingScale } from "@/lib/client/crop-math";
import { checkImageDimensions } from "@/lib/contracts/image-rules";

const ids = (image: { width: number; height: number }) => availablePresets(image).map((preset) => preset.id);

describe("fullFrame", () => {
  it("is the largest frame of the aspect that fits the photo", () => {
    expect(fullFrame({ width: 900, height: 1200 }, 9 / 16)).toEqual({ width: 675, height: 1200 });
    expect(fullFrame({ width: 900, height: 1200 }, 16 / 9)).toEqual({ width: 900, height: 506.25 });
    expect(fullFrame({ width: 1000, height: 1000 }, 1)).toEqual({ width: 1000, height: 1000 });
  });
});

describe("zoomLimit", () => {
  it("stops before the frame's short side reaches 300 source pixels", () => {
    // 3:2 on 480×1440 → full frame 480×320; 320 / 301 ≈ 1.063.
    const limit = zoomLimit({ width: 480, height: 1440 }, 3 / 2);
    expect(limit.reason).toBe("min-size");
    expect(limit.max).toBeGreaterThan(1);
    const frame = fullFrame({ width: 480, height: 1440 }, 3 / 2);
    expect(Math.min(frame.width, frame.height) / limit.max).toBeGreaterThan(300);
    // Whole pixels at the limit (what the cropper reports) are still over 300.
    expect(Math.round(Math.min(frame.width, frame.height) / limit.max)).toBeGreaterThan(300);
  });

  it("holds for every preset and many photo sizes", () => {
    for (const width of [301, 333, 480, 640, 1000, 1920, 4000, 6000]) {
      for (const height of [301, 360, 720, 1080, 2000, 4000]) {
        for (const preset of availablePresets({ width, height })) {
          const limit = zoomLimit({ width, height }, preset.ratio);
          const frame = fullFrame({ width, height }, preset.ratio);
          expect(limit.max).toBeGreaterThanOrEqual(1);
          expect(limit.max).toBeLessThanOrEqual(ZOOM_CEILING);
          expect(Math.round(Math.min(frame.width, frame.height) / limit.max)).toBeGreaterThan(300);
        }
      }
    }
  });

  it("caps large photos at the cropper's ceiling and says that is the reason", () => {
    expect(zoomLimit({ width: 6000, height: 4000 }, 9 / 16)).toEqual({ max: ZOOM_CEILING, reason: "ceiling" });
  });

  it("does not zoom at all when the full frame is only just large enough", () => {
    expect(zoomLimit({ width: 301, height: 900 }, 1).max).toBe(1);
  });
});

describe("availablePresets", () => {
  it("offers every preset plus Original for an ordinary portrait", () => {
    expect(ids({ width: 900, height: 1200 })).toEqual(["original", ...ASPECT_PRESETS.map((preset) => preset.id)]);
  });

  it("leaves out Original when the photo is outside 2:5–5:2", () => {
    expect(ids({ width: 480, height: 1440 })).not.toContain("original");
    expect(ids({ width: 3000, height: 1000 })).not.toContain("original");
    expect(ids({ width: 1000, height: 2500 })).toContain("original");
  });

  it("leaves out shapes whose full frame would be 300 px or less on its short side", () => {
    // 16:9 from 480 wide is 480×270.
    expect(ids({ width: 480, height: 1440 })).toEqual(["9:16", "2:3", "3:4", "1:1", "4:3", "3:2"]);
  });

  it("always keeps 1:1 for a photo the checks let through", () => {
    expect(ids({ width: 301, height: 301 })).toEqual(["original", "1:1"]);
  });

  it("only offers shapes inside the model's aspect band", () => {
    for (const preset of availablePresets({ width: 4000, height: 3000 })) {
      expect(preset.ratio).toBeGreaterThanOrEqual(2 / 5);
      expect(preset.ratio).toBeLessThanOrEqual(5 / 2);
    }
  });
});

describe("frameAround", () => {
  it("centres the photo when no face is known", () => {
    expect(frameAround({ width: 1000, height: 1000 }, 9 / 16, null)).toEqual({ x: 219, y: 0, width: 562, height: 1000 });
  });

  it("puts a face a little above the middle of the frame", () => {
    const area = frameAround({ width: 2000, height: 3000 }, 1, { x: 1000, y: 1500 });
    expect(area.width).toBe(2000);
    expect(area.y + area.height * 0.42).toBeCloseTo(1500, 0);
  });

  it("keeps the frame inside the photo when the face is near an edge", () => {
    const area = frameAround({ width: 4000, height: 3000 }, 9 / 16, { x: 3950, y: 20 });
    expect(area.x + area.width).toBeLessThanOrEqual(4000);
    expect(area.y).toBe(0);
    expect(area.x).toBeGreaterThanOrEqual(0);
  });

  it("is always whole pixels inside the photo", () => {
    for (const image of [
      { width: 4000, height: 3000 },
      { width: 333, height: 1001 },
      { width: 6000, height: 4000 },
    ]) {
      for (const preset of availablePresets(image)) {
        for (const focus of [null, { x: 0, y: 0 }, { x: image.width, y: image.height }, { x: image.width / 3, y: image.height / 2 }]) {
          const area = frameAround(image, preset.ratio, focus);
          expect(Object.values(area).every(Number.isInteger)).toBe(true);
          expect(area.x).toBeGreaterThanOrEqual(0);
          expect(area.y).toBeGreaterThanOrEqual(0);
          expect(area.x + area.width).toBeLessThanOrEqual(image.width);
          expect(area.y + area.height).toBeLessThanOrEqual(image.height);
        }
      }
    }
  });
});

describe("exportSize and checkCrop", () => {
  it("caps the long side and keeps the shape", () => {
    expect(exportSize({ width: 2250, height: 4000 }, 1920)).toEqual({ width: 1080, height: 1920 });
    expect(exportSize({ width: 600, height: 800 }, 1920)).toEqual({ width: 600, height: 800 });
  });

  it("passes crops the model accepts after scaling", () => {
    expect(checkCrop({ width: 2250, height: 4000 }, 1920)).toBeNull();
    expect(checkCrop({ width: 301, height: 535 }, 1920)).toBeNull();
  });

  it("refuses crops the model would refuse, with the rule's own message", () => {
    expect(checkCrop({ width: 300, height: 400 }, 1920)).toEqual(checkImageDimensions(300, 400));
    expect(checkCrop({ width: 1000, height: 3000 }, 1920)?.code).toBe("image_aspect");
    // Fine at full size, but a small long-side cap would scale it to 600×300.
    expect(checkCrop({ width: 1400, height: 700 }, 1920)).toBeNull();
    expect(checkCrop({ width: 1400, height: 700 }, 600)?.code).toBe("image_too_small");
  });
});

describe("workingScale", () => {
  it("decodes just enough for a zoom-1 frame of any shape to fill the upload", () => {
    // Every zoom-1 frame's long side is at least the photo's short side (4000 here).
    expect(workingScale({ width: 6000, height: 4000 }, 1920)).toBeCloseTo(0.48, 5);
    expect(workingScale({ width: 3000, height: 4000 }, 1920)).toBeCloseTo(0.64, 5);
    for (const ratio of [9 / 16, 3 / 4, 1, 16 / 9]) {
      const frame = fullFrame({ width: 6000, height: 4000 }, ratio);
      expect(Math.max(frame.width, frame.height) * workingScale({ width: 6000, height: 4000 }, 1920)).toBeGreaterThanOrEqual(1920 - 1e-6);
    }
  });

  it("never asks for more than the photo has", () => {
    expect(workingScale({ width: 900, height: 1200 }, 1920)).toBe(1);
  });
});
