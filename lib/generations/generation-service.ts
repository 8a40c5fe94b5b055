import type { CreateGenerationInput, GenerationStatus } from "@/lib/contracts/generation";
import { ApiError, notFound } from "@/lib/errors";
import { decodeDataUrl, prepareUploadImage } from "@/lib/images/prepare-upload-image";
import { inputKeyFor, type MediaStore } from "@/lib/media/media-store";
import { decodeCursor } from "@/lib/store/cursor";
import type { GenerationTracker } from "@/lib/tracker/generation-tracker";
import type { GenerationPage, GenerationRecord, GenerationRepository } from "./generation-record";
import { newCallbackSecret, newGenerationId, newShareToken } from "./ids";

export interface GenerationServiceDeps {
  repository: GenerationRepository;
  media: MediaStore;
  tracker: Pick<GenerationTracker, "kick" | "forget">;
  mode: "live" | "demo";
  now?: () => Date;
}

/** The generation use cases; route handlers call these and only shape the answers. */
export function createGenerationService(deps: GenerationServiceDeps) {
  const { repository, media, tracker } = deps;
  const now = deps.now ?? (() => new Date());

  async function mustFind(id: string): Promise<GenerationRecord> {
    const record = await repository.findById(id);
    if (!record) throw notFound();
    return record;
  }

  return {
    /**
     * Validates and stores the portrait, records the generation and hands it to the
     * tracker. The same idempotency key always yields the same generation.
     */
    async create(input: CreateGenerationInput, idempotencyKey?: string): Promise<{ record: GenerationRecord; created: boolean }> {
      if (idempotencyKey) {
        // A replay (double click, retry after a dropped connection) skips the image work.
        const existing = await repository.findByIdempotencyKey(idempotencyKey);
        if (existing) return { record: existing, created: false };
      }
      const image = await prepareUploadImage(decodeDataUrl(input.image));
      const id = newGenerationId();
      const inputKey = inputKeyFor(id);
      await media.putBuffer(inputKey, image.jpeg);
      const timestamp = now().toISOString();
      const result = await repository.insert({
        id,
        shareToken: newShareToken(),
        hidePrompt: false,
        status: "queued",
        mode: deps.mode,
        prompt: input.prompt,
        promptOptimizer: input.promptOptimizer,
        watermark: input.watermark,
        inputKey,
        inputWidth: image.width,
        inputHeight: image.height,
        submitState: "pending",
        upstreamTaskId: null,
        progress: null,
        costUsd: null,
        errorCode: null,
        errorMessage: null,
        resultUrl: null,
        resultKey: null,
        resultBytes: null,
        callbackSecret: newCallbackSecret(),
        idempotencyKey: idempotencyKey ?? null,
        createdAt: timestamp,
        updatedAt: timestamp,
        completedAt: null,
      });
      if (result.created) tracker.kick(id);
      // Lost a race with the same idempotency key: the other request's record stands.
      else await media.delete(inputKey);
      return result;
    },

    get: mustFind,

    async list(query: { cursor?: string; limit: number; status?: GenerationStatus }): Promise<GenerationPage> {
      if (query.cursor && !decodeCursor(query.cursor)) {
        throw new ApiError("invalid_param", "Not a valid cursor.", "cursor");
      }
      return repository.list(query);
    },

    async remove(id: string): Promise<void> {
      const record = await mustFind(id);
      tracker.forget(id);
      await repository.delete(id);
      await media.delete(record.inputKey);
      if (record.resultKey) await media.delete(record.resultKey);
    },

    /** A provider notification: never trusted, it only makes us re-read the task now. */
    async notifyFromCallback(secret: string): Promise<void> {
      const record = await repository.findByCallbackSecret(secret);
      if (!record) throw notFound("callback");
      tracker.kick(record.id);
    },
  };
}

export type GenerationService = ReturnType<typeof createGenerationService>;
