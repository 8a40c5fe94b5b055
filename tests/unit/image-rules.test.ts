import { describe, expect, it } from "vitest";
import { checkImageBytes, checkImageDimensions } from "@/lib/contracts/image-rules";
import { sniffImageType } from "@/lib/images/sniff-image-type";

const bytes = (...values: number[]) => Uint8Array.from(values);
const text = (value: string) => new TextEncoder().encode(value);

describe("image rules", () => {
  it("accepts anything under 20 MB and refuses 20 MB exactly", () => {
    expect(checkImageBytes(20 * 1024 * 1024 - 1)).toBeNull();
    expect(checkImageBytes(20 * 1024 * 1024)?.code).toBe("image_too_large");
  });

  it("needs the short side strictly above 300 px and says the size found", () => {
    expect(checkImageDimensions(301, 400)).toBeNull();
    const violation = checkImageDimensions(300, 400);
    expect(violation?.code).toBe("image_too_small");
    expect(violation?.message).toContain("300×400");
  });

  it("keeps the aspect ratio between 2:5 and 5:2 inclusive", () => {
    expect(checkImageDimensions(400, 1000)).toBeNull();
    expect(checkImageDimensions(1000, 400)).toBeNull();
    expect(checkImageDimensions(399, 1000)?.code).toBe("image_aspect");
    expect(checkImageDimensions(1001, 400)?.code).toBe("image_aspect");
  });
});

describe("sniffImageType", () => {
  it("recognises JPEG, PNG and WebP by their magic numbers", () => {
    expect(sniffImageType(bytes(0xff, 0xd8, 0xff, 0xe0))).toEqual({ accepted: true, mime: "image/jpeg" });
    expect(sniffImageType(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a))).toEqual({ accepted: true, mime: "image/png" });
    expect(sniffImageType(text("RIFF\0\0\0\0WEBPVP8 "))).toEqual({ accepted: true, mime: "image/webp" });
  });

  it("explains HEIC with how to convert", () => {
    const result = sniffImageType(text("\0\0\0\x18ftypheic\0\0\0\0"));
    expect(result.accepted).toBe(false);
    if (!result.accepted) expect(result.reason).toMatch(/HEIC.*JPEG/s);
  });

  it("refuses GIF, SVG/HTML and random bytes with specific reasons", () => {
    const reasons = [text("GIF89a...."), text("  <svg xmlns='http://www.w3.org/2000/svg'/>"), text("<!doctype html>"), bytes(1, 2, 3, 4)].map((input) => {
      const result = sniffImageType(input);
      return result.accepted ? "accepted" : result.reason;
    });
    expect(reasons[0]).toContain("GIF");
    expect(reasons[1]).toContain("markup");
    expect(reasons[2]).toContain("markup");
    expect(reasons[3]).toBe("This file is not a JPG, PNG or WebP image.");
  });

  it("is not fooled by a RIFF file that is not WebP", () => {
    expect(sniffImageType(text("RIFF\0\0\0\0WAVEfmt ")).accepted).toBe(false);
  });
});
