import { describe, expect, it } from "vitest";
import { downloadFileName } from "@/lib/generations/download-name";
import { decodeCursor, encodeCursor } from "@/lib/store/cursor";
import { backoffDelay } from "@/lib/tracker/backoff";
import { outputSize } from "@/lib/upstream/output-size";
import { parseEnv } from "@/lib/env";

describe("cursor", () => {
  it("round-trips and rejects junk", () => {
    const item = { createdAt: "2026-11-24T10:00:00.000Z", id: "V1StGXR8_Z5jdHi6B-myT" };
    expect(decodeCursor(encodeCursor(item))).toEqual(item);
    expect(decodeCursor("bm9wZQ")).toBeNull();
    expect(decodeCursor(Buffer.from("not-a-date|x").toString("base64url"))).toBeNull();
    expect(decodeCursor(Buffer.from("2026-11-24T10:00:00.000Z|a|b").toString("base64url"))).toBeNull();
  });
});

describe("downloadFileName", () => {
  it("is readable, ASCII and safe in a header", () => {
    expect(downloadFileName({ createdAt: "2026-11-24T10:00:00.000Z", prompt: 'Élodie "smiles" & turns; to the camera, slowly now', id: "x" })).toBe(
      "portrait-live-2026-11-24-elodie-smiles-turns-to-the-camera.mp4",
    );
  });

  it("falls back to the id when the prompt has no usable words", () => {
    expect(downloadFileName({ createdAt: "2026-11-24T10:00:00.000Z", prompt: "😀😀", id: "V1StGXR8_Z5jdHi6B-myT" })).toBe(
      "portrait-live-2026-11-24-V1StGXR8.mp4",
    );
  });
});

describe("backoffDelay", () => {
  it("doubles per failure within jitter bounds and stops at the cap", () => {
    expect(backoffDelay(1000, 0, 60_000, () => 0)).toBe(500);
    expect(backoffDelay(1000, 0, 60_000, () => 1)).toBe(1000);
    expect(backoffDelay(1000, 3, 60_000, () => 1)).toBe(8000);
    expect(backoffDelay(1000, 30, 60_000, () => 1)).toBe(60_000);
  });
});

describe("outputSize", () => {
  it("keeps the short side at 720 and the sides even", () => {
    expect(outputSize(900, 1200)).toEqual({ width: 720, height: 960 });
    expect(outputSize(1920, 1080)).toEqual({ width: 1280, height: 720 });
    expect(outputSize(1001, 1000)).toEqual({ width: 720, height: 720 });
  });
});

describe("parseEnv", () => {
  it("applies the embedded defaults", () => {
    const defaults = parseEnv({});
    expect(defaults.VTRIX_API_KEY).toBeUndefined();
    expect(defaults).toMatchObject({ VTRIX_BASE_URL: "https://cloud.vtrix.ai", DATA_DIR: "./data", PORT: 3000 });
  });

  it("treats an empty key as demo mode and trims trailing slashes", () => {
    const parsed = parseEnv({ VTRIX_API_KEY: "", VTRIX_BASE_URL: "http://127.0.0.1:4010/", PUBLIC_BASE_URL: "" });
    expect(parsed.VTRIX_API_KEY).toBeUndefined();
    expect(parsed.PUBLIC_BASE_URL).toBeUndefined();
    expect(parsed.VTRIX_BASE_URL).toBe("http://127.0.0.1:4010");
  });

  it.each([
    [{ PORT: "eighty" }, "PORT"],
    [{ VTRIX_BASE_URL: "ftp://x" }, "VTRIX_BASE_URL"],
    [{ PUBLIC_BASE_URL: "not a url" }, "PUBLIC_BASE_URL"],
    [{ POLL_INTERVAL_MS: "5" }, "POLL_INTERVAL_MS"],
  ])("names the variable in the error: %j", (source, name) => {
    expect(() => parseEnv(source)).toThrow(new RegExp(`^Invalid environment configuration:\\n  ${name}:`));
  });
});
