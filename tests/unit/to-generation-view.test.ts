import { describe, expect, it } from "vitest";
import { generationViewSchema } from "@/lib/contracts/generation";
import { newGenerationRecord, type GenerationRecord } from "@/lib/generations/generation-record";
import { toGenerationView } from "@/lib/generations/to-generation-view";

const record: GenerationRecord = {
  ...newGenerationRecord({
    id: "abcdefghijklmnopqrstu",
    shareToken: "tok_tok_tok_tok_tok_tok_",
    mode: "live",
    prompt: "she smiles",
    promptOptimizer: true,
    watermark: false,
    inputKey: "inputs/secret-input.jpg",
    inputWidth: 900,
    inputHeight: 1200,
    callbackSecret: "callback-secret",
    idempotencyKey: "key-12345678",
    createdAt: "2026-01-02T03:04:05.000Z",
  }),
  status: "succeeded",
  progress: 1,
  costUsd: "0.28",
  resultUrl: "https://provider.example/expiring.mp4",
  resultKey: "videos/abc.mp4",
  updatedAt: "2026-01-02T03:05:00.000Z",
  completedAt: "2026-01-02T03:05:00.000Z",
};

describe("toGenerationView", () => {
  it("links the portrait until a failed generation's upload was swept, then says it is gone", () => {
    const failed = { ...record, status: "failed" as const, resultKey: null, errorCode: "10006095", errorMessage: "refused" };
    expect(toGenerationView({ ...failed, uploadId: "upload-kept-here-abcd" }, {}).inputUrl).toBe(`/api/generations/${record.id}/input`);
    expect(toGenerationView({ ...failed, uploadId: null }, {}).inputUrl).toBeNull();
    expect(toGenerationView({ ...record, uploadId: null }, {}).inputUrl).toBe(`/api/generations/${record.id}/input`);
  });

  it("answers the same JSON text, field for field and in the same order", () => {
    expect(JSON.stringify(toGenerationView(record, { publicBaseUrl: "https://clips.example" }))).toBe(
      JSON.stringify({
        id: "abcdefghijklmnopqrstu",
        status: "succeeded",
        progress: 1,
        prompt: "she smiles",
        options: { promptOptimizer: true, watermark: false, duration: 6, resolution: "720P" },
        createdAt: "2026-01-02T03:04:05.000Z",
        updatedAt: "2026-01-02T03:05:00.000Z",
        completedAt: "2026-01-02T03:05:00.000Z",
        videoUrl: "/api/generations/abcdefghijklmnopqrstu/video",
        downloadUrl: "/api/generations/abcdefghijklmnopqrstu/video?download=1",
        inputUrl: "/api/generations/abcdefghijklmnopqrstu/input",
        shareUrl: "https://clips.example/s/tok_tok_tok_tok_tok_tok_",
        shareExpiresAt: null,
        hidePrompt: false,
        cost: "0.28",
        error: null,
        notice: null,
        mode: "live",
      }),
    );
  });

  it("shows no link before the video is stored, and nothing the record keeps for the server alone", () => {
    const view = toGenerationView({ ...record, status: "processing", resultKey: null, completedAt: null, errorCode: "storage_full", errorMessage: "full" }, {});
    expect(view).toMatchObject({ videoUrl: null, downloadUrl: null, shareUrl: null, error: null, notice: { code: "storage_full", message: "full" } });
    const text = JSON.stringify(view);
    for (const secret of ["callback-secret", "key-12345678", "secret-input", "provider.example", "videos/abc.mp4"]) expect(text).not.toContain(secret);
    expect(Object.keys(view)).toEqual(Object.keys(generationViewSchema.shape));
  });
});
