import { describe, expect, it } from "vitest";
import { createInMemoryMediaStore } from "../support/fakes/in-memory-media-store";
import type { DerivativeRecord } from "@/lib/media/derivatives/derivative-record";
import { INLINE_POSTER_MAX_BYTES } from "@/lib/media/derivatives/derivative-sizes";
import { inlinePoster } from "@/lib/media/derivatives/inline-poster";

const job = (generationId: string, overrides: Partial<DerivativeRecord> = {}): DerivativeRecord => ({
  generationId,
  kind: "preview",
  pingPong: false,
  state: "ready",
  priority: 0,
  progress: null,
  mediaKey: `derived/${generationId}/preview.webp`,
  bytes: 4,
  width: 540,
  height: 720,
  runs: 1,
  error: null,
  createdAt: "2026-11-30T00:00:00.000Z",
  updatedAt: "2026-11-30T00:00:00.000Z",
  ...overrides,
});

const derivativesWith = (jobs: DerivativeRecord[]) => ({
  find: async ({ generationId, kind }: { generationId: string; kind: string }) => jobs.find((one) => one.generationId === generationId && one.kind === kind),
});

describe("the poster a page carries inline", () => {
  it("is the ready preview as a data URL, read once and then remembered", async () => {
    const media = createInMemoryMediaStore();
    await media.putBuffer("derived/inline-a/preview.webp", Buffer.from("RIFF"));
    const derivatives = derivativesWith([job("inline-a")]);
    expect(await inlinePoster(derivatives, media, "inline-a")).toBe(`data:image/webp;base64,${Buffer.from("RIFF").toString("base64")}`);
    await media.delete("derived/inline-a/preview.webp");
    expect(await inlinePoster(derivatives, media, "inline-a")).toBe(`data:image/webp;base64,${Buffer.from("RIFF").toString("base64")}`);
  });

  it("is absent (the page links the frame instead) while the preview is not made, or too large to inline", async () => {
    const media = createInMemoryMediaStore();
    await media.putBuffer("derived/inline-c/preview.webp", Buffer.alloc(INLINE_POSTER_MAX_BYTES + 1));
    const derivatives = derivativesWith([
      job("inline-b", { state: "running", mediaKey: null, bytes: null }),
      job("inline-c", { bytes: INLINE_POSTER_MAX_BYTES + 1 }),
    ]);
    expect(await inlinePoster(derivatives, media, "inline-b")).toBeNull();
    expect(await inlinePoster(derivatives, media, "inline-c")).toBeNull();
    expect(await inlinePoster(derivatives, media, "inline-none")).toBeNull();
  });

  it("never fails the page: a store that cannot read the file gives no inline poster", async () => {
    const media = createInMemoryMediaStore();
    const derivatives = derivativesWith([job("inline-d")]);
    expect(await inlinePoster(derivatives, media, "inline-d")).toBeNull();
    const failing = { ...derivatives, find: async () => Promise.reject(new Error("database is down")) };
    expect(await inlinePoster(failing, media, "inline-d")).toBeNull();
  });
});
