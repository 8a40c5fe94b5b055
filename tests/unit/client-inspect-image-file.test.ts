import { afterEach, describe, expect, it, vi } from "vitest";
import { inspectImageFile } from "@/lib/client/inspect-image-file";

const MB = 1024 * 1024;
const jpegHead = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0]);
const blob = (...parts: BlobPart[]) => new Blob(parts);

/** Stands in for the browser's decoder: reports the (already upright) size it is given. */
function fakeDecoder(size: { width: number; height: number } | "fails") {
  const close = vi.fn();
  const decode = vi.fn(async (_source: Blob, options?: ImageBitmapOptions) => {
    if (size === "fails") throw new DOMException("The source image could not be decoded.", "InvalidStateError");
    expect(options?.imageOrientation).toBe("from-image");
    return { ...size, close } as unknown as ImageBitmap;
  });
  vi.stubGlobal("createImageBitmap", decode);
  return { decode, close };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("inspectImageFile", () => {
  it("judges the type by the bytes before the size, so a huge non-image says what it is", async () => {
    const result = await inspectImageFile(blob(new Uint8Array(21 * MB).fill(0x41)));
    expect(result).toEqual({ ok: false, message: "This file is not a JPG, PNG or WebP image." });
  });

  it("explains HEIC and GIF specifically", async () => {
    const heic = await inspectImageFile(blob(Uint8Array.from([0, 0, 0, 0x18]), "ftypheic", new Uint8Array(64)));
    expect(heic.ok || heic.message).toMatch(/HEIC.*Most Compatible/);
    const gif = await inspectImageFile(blob("GIF89a", new Uint8Array(64)));
    expect(gif.ok || gif.message).toMatch(/GIF images are not supported/);
  });

  it("refuses 20 MB or more, saying the size", async () => {
    const decoder = fakeDecoder({ width: 4000, height: 3000 });
    const result = await inspectImageFile(blob(jpegHead, new Uint8Array(20 * MB - jpegHead.length)));
    expect(result).toEqual({ ok: false, message: "The image is 20.0 MB; it must be under 20 MB." });
    expect(decoder.decode).not.toHaveBeenCalled();
  });

  it("says so when the bytes cannot be decoded", async () => {
    fakeDecoder("fails");
    const result = await inspectImageFile(blob(jpegHead, "garbage"));
    expect(result.ok || result.message).toMatch(/could not be decoded/);
  });

  it("refuses a short side of 300 px or less, saying the size found, and frees the pixels", async () => {
    const decoder = fakeDecoder({ width: 300, height: 400 });
    const result = await inspectImageFile(blob(jpegHead, "pixels"));
    expect(result.ok || result.message).toMatch(/300×400 px.*more than 300 px/);
    expect(decoder.close).toHaveBeenCalled();
  });

  it("keeps the upright decode for framing and upload", async () => {
    fakeDecoder({ width: 600, height: 800 });
    const result = await inspectImageFile(blob(jpegHead, "pixels"));
    expect(result.ok && { width: result.width, height: result.height }).toEqual({ width: 600, height: 800 });
  });

  it("refuses an empty file", async () => {
    expect(await inspectImageFile(blob())).toEqual({ ok: false, message: "This file is empty." });
  });
});
