import "server-only";
import { isFinalStatus, type CreateGenerationInput, type GenerationStatus, type Totals } from "@/lib/contracts/generation";
import type { AppMode } from "@/lib/contracts/video-spec";
import { ApiError, notFound, storageFull } from "@/lib/errors";
import { decodeDataUrl, prepareUploadImage } from "@/lib/images/prepare-upload-image";
import { isStorageFull } from "@/lib/media/storage-full";
import type { AdmissionGuard } from "@/lib/limits/admission-guard";
import type { GenerationTracker } from "@/lib/tracker/generation-tracker";
import type { UploadRecord } from "@/lib/uploads/upload-record";
import type { UploadService } from "@/lib/uploads/upload-service";
import type { GenerationProvider } from "@/lib/upstream/provider";
import { newGenerationRecord, type GenerationRecord } from "./generation-record";
import { InvalidCursorError, type GenerationPage, type GenerationRepository, type GenerationTransition } from "./generation-repository";
import { newCallbackSecret, newGenerationId, newShareToken } from "./ids";
import { tallySpend } from "./tally-spend";
import { shareExpiresAt, type ShareExpiry } from "@/lib/contracts/share";
import { isShareLinkLive } from "@/lib/share/share-link-state";

export interface GenerationServiceDeps {
  repository: GenerationRepository;
  uploads: Pick<UploadService, "store" | "usable" | "release">;
  tracker: Pick<GenerationTracker, "kick">;
  /** A callback may land on any instance: this reaches the one following the generation (default: this one). */
  nudgeFollower?: (id: string) => void;
  guard: AdmissionGuard;
  /** Reads the task id out of a provider notification (the wire format stays in the provider's module). */
  notifications: Pick<GenerationProvider, "taskIdFromNotification">;
  /** Assumed cost of a generation the provider has not billed yet (COST_ESTIMATE_USD). */
  costEstimateUsd: string;
  mode: AppMode;
  now?: () => Date;
}

type GenerationOptions = { prompt: string; promptOptimizer: boolean; watermark: boolean };

/** The generation use cases; route handlers call these and only shape the answers. */
export function createGenerationService(deps: GenerationServiceDeps) {
  const { repository, tracker, uploads } = deps;
  const now = deps.now ?? (() => new Date());

  /** Records a generation made from an upload (no copy: re-runs and takes share the file). */
  async function insertGeneration(
    upload: UploadRecord,
    options: GenerationOptions,
    idempotencyKey: string | undefined,
  ): Promise<{ record: GenerationRecord; created: boolean }> {
    const id = newGenerationId();
    let result: { record: GenerationRecord; created: boolean };
    try {
      result = await repository.insert(
        newGenerationRecord({
          id,
          shareToken: newShareToken(),
          mode: deps.mode,
          prompt: options.prompt,
          promptOptimizer: options.promptOptimizer,
          watermark: options.watermark,
          inputKey: upload.mediaKey,
          inputWidth: upload.width,
          inputHeight: upload.height,
          uploadId: upload.id,
          callbackSecret: newCallbackSecret(),
          idempotencyKey: idempotencyKey ?? null,
          createdAt: now().toISOString(),
        }),
      );
    } catch (error) {
      if (isStorageFull(error)) throw storageFull();
      // The upload was swept between our look and the insert: the foreign key refused the insert.
      await uploads.usable(upload.id);
      throw error;
    }
    if (result.created) tracker.kick(id);
    return result;
  }

  async function mustFind(id: string): Promise<GenerationRecord> {
    const found = await repository.findById(id);
    if (!found) throw notFound();
    return found;
  }

  async function updateExisting(id: string, transition: GenerationTransition): Promise<GenerationRecord> {
    const updated = await repository.update(id, transition);
    if (!updated) throw notFound();
    return updated;
  }

  const replayOf = async (idempotencyKey: string | undefined) => (idempotencyKey ? repository.findByIdempotencyKey(idempotencyKey) : undefined);

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
      const options = { prompt: input.prompt, promptOptimizer: input.promptOptimizer, watermark: input.watermark };
      if (input.uploadId !== undefined) {
        const upload = await uploads.usable(input.uploadId);
        return deps.guard.admit(request.clientKey, () => insertGeneration(upload, options, idempotencyKey));
      }
      if (input.image === undefined) throw new ApiError("invalid_body", "Send uploadId or image.", "uploadId");
      // Scripts may still send a data URL: it becomes an upload like any other, stored only once admitted.
      const image = await prepareUploadImage(decodeDataUrl(input.image), { beforeDecode: () => deps.guard.precheck(request.clientKey) });
      return deps.guard.admit(request.clientKey, async () => {
        const upload = await uploads.store(image);
        // Not recorded (e.g. the database is full), or lost a race with the same idempotency key
        // (the other request's generation stands): this request's upload is not needed.
        const result = await insertGeneration(upload, options, idempotencyKey).catch(async (error: unknown) => {
          await uploads.release(upload.id).catch(() => undefined);
          throw error;
        });
        if (!result.created) await uploads.release(upload.id);
        return result;
      });
    },

    /** Same portrait (the same upload, not a copy), prompt and options; a new provider task. */
    async rerun(id: string, request: { idempotencyKey?: string; clientKey: string }): Promise<{ record: GenerationRecord; created: boolean }> {
      const { idempotencyKey } = request;
      const existing = await replayOf(idempotencyKey);
      if (existing) return { record: existing, created: false };
      const source = await mustFind(id);
      if (!source.uploadId) throw new ApiError("not_ready", "This generation's portrait is no longer stored; start a new generation.");
      // The source uses the upload, so it is usable whatever its age.
      const upload = await uploads.usable(source.uploadId);
      const options = { prompt: source.prompt, promptOptimizer: source.promptOptimizer, watermark: source.watermark };
      return deps.guard.admit(request.clientKey, () => insertGeneration(upload, options, idempotencyKey));
    },

    get: mustFind,

    async list(query: { cursor?: string; limit: number; status?: GenerationStatus }): Promise<GenerationPage> {
      return repository.list(query).catch((error: unknown) => {
        if (error instanceof InvalidCursorError) throw new ApiError("invalid_param", "Not a valid cursor.", "cursor");
        throw error;
      });
    },

    async setHidePrompt(id: string, hidePrompt: boolean): Promise<GenerationRecord> {
      return updateExisting(id, { kind: "hide_prompt", hidePrompt });
    },

    /** A fresh link, working for `expiresIn` from now; any earlier link stops working at once. */
    async renewShareLink(id: string, expiresIn: ShareExpiry = "never"): Promise<GenerationRecord> {
      return updateExisting(id, { kind: "share", shareToken: newShareToken(), shareExpiresAt: shareExpiresAt(expiresIn, now()) });
    },

    /** A new lifetime for the current link, counted from now; a revoked or expired link has none to change. */
    async setShareExpiry(id: string, expiresIn: ShareExpiry): Promise<GenerationRecord> {
      const record = await mustFind(id);
      if (!isShareLinkLive(record, now())) throw new ApiError("not_ready", "This video has no live share link: create one first.");
      return updateExisting(id, { kind: "share_expiry", shareExpiresAt: shareExpiresAt(expiresIn, now()) });
    },

    async revokeShareLink(id: string): Promise<GenerationRecord> {
      return updateExisting(id, { kind: "share", shareToken: null, shareExpiresAt: null });
    },

    /** A playable generation behind a live share link; unknown, revoked and expired look the same. */
    async findShared(token: string): Promise<GenerationRecord | undefined> {
      const shared = await repository.findByShareToken(token);
      if (!shared || !isShareLinkLive(shared, now())) return undefined;
      return shared.status === "succeeded" && shared.resultKey ? shared : undefined;
    },

    async totals(since: { dayStart: string; monthStart: string }): Promise<Totals> {
      const spend = await repository.listSpend();
      const window = (from: number) => tallySpend(spend, from, deps.costEstimateUsd);
      return { today: window(Date.parse(since.dayStart)), month: window(Date.parse(since.monthStart)), allTime: window(0) };
    },

    /**
     * A provider notification: never trusted, it makes the tracker re-read the task now.
     * While a create is unconfirmed (its answer never came), the task id it names is noted
     * for the tracker, which adopts it only after reading that task back from the provider.
     */
    async notifyFromCallback(secret: string, body: unknown): Promise<void> {
      const record = await repository.findByCallbackSecret(secret);
      if (!record) throw notFound("callback");
      const taskId = deps.notifications.taskIdFromNotification(body);
      const unconfirmed = record.submitState === "submitting" && record.upstreamTaskId === null && !isFinalStatus(record.status);
      if (taskId && unconfirmed && taskId !== record.reportedTaskId) {
        await repository.update(record.id, { kind: "task_reported", taskId });
      }
      (deps.nudgeFollower ?? tracker.kick)(record.id);
    },
  };
}

export type GenerationService = ReturnType<typeof createGenerationService>;
