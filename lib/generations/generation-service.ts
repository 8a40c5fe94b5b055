import "server-only";
import { isFinalStatus, type CreateGenerationInput, type GenerationStatus, type Totals } from "@/lib/contracts/generation";
import type { AppMode } from "@/lib/contracts/video-spec";
import { ApiError, notFound } from "@/lib/errors";
import type { AdmissionGuard } from "@/lib/limits/admission-guard";
import type { GenerationTracker } from "@/lib/tracker/generation-tracker";
import type { UploadService } from "@/lib/uploads/upload-service";
import type { GenerationProvider } from "@/lib/upstream/provider";
import type { GenerationRecord } from "./generation-record";
import { InvalidCursorError, type GenerationPage, type GenerationRepository, type GenerationTransition } from "./generation-repository";
import { newShareToken } from "./ids";
import { createGenerationStarter, portraitFrom, type Started } from "./start-generations";
import { tallySpend } from "./tally-spend";
import { shareExpiresAt, type ShareExpiry } from "@/lib/contracts/share";
import { isShareLinkLive } from "./share-link-state";

export interface GenerationServiceDeps {
  repository: GenerationRepository;
  uploads: Pick<UploadService, "store" | "usable" | "release" | "portraitRemoved">;
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

/** The generation use cases; route handlers call these and only shape the answers. */
export function createGenerationService(deps: GenerationServiceDeps) {
  const { repository, tracker, uploads } = deps;
  const now = deps.now ?? (() => new Date());

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

  const starter = createGenerationStarter(deps);
  const replay = async (idempotencyKey: string): Promise<Started | undefined> => {
    const record = await repository.findByIdempotencyKey(idempotencyKey);
    return record && { setId: null, records: [record], created: false };
  };
  const single = (started: Started) => ({ record: started.records[0]!, created: started.created });

  return {
    /**
     * Validates and stores the portrait, records the generation and hands it to the
     * tracker. The same idempotency key always yields the same generation.
     */
    async create(
      input: CreateGenerationInput,
      request: { idempotencyKey?: string; clientKey: string },
    ): Promise<{ record: GenerationRecord; created: boolean }> {
      const portrait = portraitFrom(input);
      const take = { prompt: input.prompt, promptOptimizer: input.promptOptimizer, watermark: input.watermark };
      return single(await starter.start({ portrait, takes: [take], asSet: false, ...request, replay }));
    },

    /** Same portrait (the same upload, not a copy), prompt and options; a new provider task. */
    async rerun(id: string, request: { idempotencyKey?: string; clientKey: string }): Promise<{ record: GenerationRecord; created: boolean }> {
      const replayed = request.idempotencyKey ? await replay(request.idempotencyKey) : undefined;
      if (replayed) return single(replayed);
      const source = await mustFind(id);
      // Only a failed generation loses its portrait: swept a full UPLOAD_TTL_HOURS after it failed.
      const removed = (error: unknown): never => {
        throw isUploadGone(error) ? uploads.portraitRemoved() : error;
      };
      if (!source.uploadId) throw uploads.portraitRemoved();
      const upload = await uploads.usable(source.uploadId).catch(removed);
      const take = { prompt: source.prompt, promptOptimizer: source.promptOptimizer, watermark: source.watermark };
      // The sweep may take it between that look and the insert: the starter then says the upload is gone.
      return single(await starter.start({ portrait: { upload }, takes: [take], asSet: false, ...request, replay }).catch(removed));
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

/** The starter's and usable()'s answers for an upload that is gone or going. */
const isUploadGone = (error: unknown) => ApiError.is(error) && error.field === "uploadId" && (error.code === "not_found" || error.code === "upload_expired");

export type GenerationService = ReturnType<typeof createGenerationService>;
