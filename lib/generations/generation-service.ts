import type { CreateGenerationInput, GenerationStatus, Totals } from "@/lib/contracts/generation";
import { ApiError, notFound } from "@/lib/errors";
import { decodeDataUrl, prepareUploadImage } from "@/lib/images/prepare-upload-image";
import { inputKeyFor, type MediaStore } from "@/lib/media/media-store";
import { isStorageFull } from "@/lib/media/storage-full";
import type { CreateGuard } from "@/lib/limits/create-guard";
import { decodeCursor } from "@/lib/store/cursor";
import type { GenerationTracker } from "@/lib/tracker/generation-tracker";
import { newGenerationRecord, type GenerationPage, type GenerationPatch, type GenerationRecord, type GenerationRepository } from "./generation-record";
import { newCallbackSecret, newGenerationId, newShareToken } from "./ids";
import { sumCosts } from "./sum-costs";

export interface GenerationServiceDeps {
  repository: GenerationRepository;
  media: MediaStore;
  tracker: Pick<GenerationTracker, "kick" | "forget">;
  guard: CreateGuard;
  mode: "live" | "demo";
  now?: () => Date;
}

const storageFull = () =>
  new ApiError("storage_full", "The server's storage is full, so no new generation can be started. Try again once space has been freed.");

/** The generation use cases; route handlers call these and only shape the answers. */
export function createGenerationService(deps: GenerationServiceDeps) {
  const { repository, media, tracker } = deps;
  const now = deps.now ?? (() => new Date());

  async function insertGeneration(
    input: { prompt: string; promptOptimizer: boolean; watermark: boolean; image: Buffer; width: number; height: number },
    idempotencyKey: string | undefined,
  ): Promise<{ record: GenerationRecord; created: boolean }> {
    const id = newGenerationId();
    const inputKey = inputKeyFor(id);
    if (!(await media.hasRoom(input.image.length))) throw storageFull();
    await media.putBuffer(inputKey, input.image).catch((error: unknown) => {
      throw isStorageFull(error) ? storageFull() : error;
    });
    const result = await repository
      .insert(
      newGenerationRecord({
        id,
        shareToken: newShareToken(),
        mode: deps.mode,
        prompt: input.prompt,
        promptOptimizer: input.promptOptimizer,
        watermark: input.watermark,
        inputKey,
        inputWidth: input.width,
        inputHeight: input.height,
        callbackSecret: newCallbackSecret(),
        idempotencyKey: idempotencyKey ?? null,
        createdAt: now().toISOString(),
      }),
      )
      .catch(async (error: unknown) => {
        // Not recorded: the portrait stored for it would be an orphan.
        await media.delete(inputKey).catch(() => undefined);
        throw isStorageFull(error) ? storageFull() : error;
      });
    if (result.created) tracker.kick(id);
    // Lost a race with the same idempotency key: the other request's record stands.
    else await media.delete(inputKey);
    return result;
  }

  async function mustFind(id: string): Promise<GenerationRecord> {
    const found = await repository.findById(id);
    if (!found) throw notFound();
    return found;
  }

  async function updateExisting(id: string, patch: GenerationPatch): Promise<GenerationRecord> {
    const updated = await repository.update(id, patch);
    if (!updated) throw notFound();
    return updated;
  }

  const replayOf = async (idempotencyKey: string | undefined) =>
    idempotencyKey ? repository.findByIdempotencyKey(idempotencyKey) : undefined;

  return {
    /**
     * Validates and stores the portrait, records the generation and hands it to the
     * tracker. The same idempotency key always yields the same generation.
     */
    async create(
      input: CreateGenerationInput,
      request: { idempotencyKey?: string; clientKey: string },
    ): Promise<{ record: GenerationRecord; created: boolean }> {
      const { idempotencyKey } = request;
      // A replay (double click, retry after a dropped connection) skips the image work.
      const existing = await replayOf(idempotencyKey);
      if (existing) return { record: existing, created: false };
      // POST /api/uploads and creates from an uploadId are being built; until then only data URLs.
      if (input.image === undefined) throw new ApiError("invalid_body", "Creating from an upload is not available yet.", "uploadId");
      const image = await prepareUploadImage(decodeDataUrl(input.image));
      return deps.guard.admit(request.clientKey, () =>
        insertGeneration({ ...input, image: image.jpeg, width: image.width, height: image.height }, idempotencyKey),
      );
    },

    /** Same portrait, prompt and options; a new provider task. */
    async rerun(
      id: string,
      request: { idempotencyKey?: string; clientKey: string },
    ): Promise<{ record: GenerationRecord; created: boolean }> {
      const { idempotencyKey } = request;
      const existing = await replayOf(idempotencyKey);
      if (existing) return { record: existing, created: false };
      const source = await mustFind(id);
      const image = await media.readBuffer(source.inputKey);
      return deps.guard.admit(request.clientKey, () =>
        insertGeneration(
          {
            prompt: source.prompt,
            promptOptimizer: source.promptOptimizer,
            watermark: source.watermark,
            image,
            width: source.inputWidth,
            height: source.inputHeight,
          },
          idempotencyKey,
        ),
      );
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

    async setHidePrompt(id: string, hidePrompt: boolean): Promise<GenerationRecord> {
      return updateExisting(id, { hidePrompt });
    },

    /** A fresh link; any earlier link stops working at once. */
    async renewShareLink(id: string): Promise<GenerationRecord> {
      return updateExisting(id, { shareToken: newShareToken() });
    },

    async revokeShareLink(id: string): Promise<GenerationRecord> {
      return updateExisting(id, { shareToken: null });
    },

    /** A playable generation behind a live share link; unknown and revoked look the same. */
    async findShared(token: string): Promise<GenerationRecord | undefined> {
      const shared = await repository.findByShareToken(token);
      return shared?.status === "succeeded" && shared.resultKey ? shared : undefined;
    },

    async totals(since: { dayStart: string; monthStart: string }): Promise<Totals> {
      const spend = await repository.listSpend();
      const window = (from: number) => {
        const entries = spend.filter((entry) => Date.parse(entry.createdAt) >= from);
        return { count: entries.length, costUsd: sumCosts(entries.flatMap((entry) => (entry.costUsd ? [entry.costUsd] : []))) };
      };
      return { today: window(Date.parse(since.dayStart)), month: window(Date.parse(since.monthStart)), allTime: window(0) };
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
