import { describe, expect, it } from "vitest";
import { ApiError } from "@/lib/errors";
import { createGenerationService } from "@/lib/generations/generation-service";
import type { GenerationRepository } from "@/lib/generations/generation-repository";
import { createAdmissionGuard, type AdmissionLimits } from "@/lib/limits/admission-guard";
import { encodeCursor } from "@/lib/store/cursor";
import type { UploadRecord } from "@/lib/uploads/upload-record";
import { createFakeProvider } from "../support/fakes/fake-provider";
import { aGeneration } from "../support/fakes/generation-record";
import { failUnsent, finish, sendCreate } from "../support/fakes/generation-steps";
import { createInMemoryGenerationRepository } from "../support/fakes/in-memory-generation-repository";

const generous: AdmissionLimits = { perClientPerMinute: 1000, globalPerMinute: 1000, maxInFlight: 1000, costEstimateUsd: "0.30" };

/** Uploads in memory: usable while stored; released ones go once no generation uses them. */
function fakeUploads(repository: GenerationRepository) {
  const stored = new Map<string, UploadRecord>();
  const inUse = async (id: string) => (await repository.list({ limit: 1000 })).items.some((record) => record.uploadId === id);
  return {
    stored,
    add(id: string): UploadRecord {
      const upload = {
        id,
        mediaKey: `inputs/${id}.jpg`,
        width: 720,
        height: 960,
        bytes: 1000,
        createdAt: "2026-11-20T10:00:00.000Z",
        expiresAt: "2099-01-01T00:00:00.000Z",
      };
      stored.set(id, upload);
      return upload;
    },
    async store(): Promise<UploadRecord> {
      throw new Error("these tests create from uploads");
    },
    async usable(id: string): Promise<UploadRecord> {
      const upload = stored.get(id);
      if (!upload) throw new ApiError("not_found", "No such upload.", "uploadId");
      return upload;
    },
    async release(id: string): Promise<void> {
      if (!(await inUse(id))) stored.delete(id);
    },
    portraitRemoved: () => new ApiError("upload_expired", "This portrait was removed 1 hour after the generation failed; start again with the photo."),
  };
}

function setup(options: { limits?: Partial<AdmissionLimits>; clock?: () => Date } = {}) {
  let tick = Date.parse("2026-11-20T10:00:00.000Z");
  // Each generation a second after the last, so history order is known.
  const now = options.clock ?? (() => new Date((tick += 1000)));
  const repository = createInMemoryGenerationRepository({ now });
  const uploads = fakeUploads(repository);
  const provider = createFakeProvider();
  const kicked: string[] = [];
  const service = createGenerationService({
    repository,
    uploads,
    tracker: { kick: (id) => void kicked.push(id) },
    guard: createAdmissionGuard({ ...generous, ...options.limits }, repository, now),
    notifications: provider,
    costEstimateUsd: "0.30",
    mode: "live",
    now,
  });
  const portrait = uploads.add("upload-aaaaaaaaaaaaaaa1");
  const create = (request: { idempotencyKey?: string; clientKey?: string } = {}, prompt = "she smiles") =>
    service.create({ uploadId: portrait.id, prompt, promptOptimizer: true, watermark: false }, { clientKey: "client-a", ...request });
  return { service, repository, uploads, provider, kicked, portrait, create };
}

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => expect.unreachable("it was accepted"),
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe("the generation service: create", () => {
  it("records a queued generation from the upload and hands it to the tracker", async () => {
    const { create, repository, kicked, portrait } = setup();
    const { record, created } = await create({}, "a slow turn");
    expect(created).toBe(true);
    expect(record).toMatchObject({
      status: "queued",
      submitState: "pending",
      mode: "live",
      prompt: "a slow turn",
      uploadId: portrait.id,
      inputKey: portrait.mediaKey,
    });
    expect(record.shareToken).toMatch(/^[\w-]{24}$/);
    expect(await repository.findById(record.id)).toEqual(record);
    expect(kicked).toEqual([record.id]);
  });

  it("the same idempotency key returns the same generation, created once and kicked once", async () => {
    const { create, repository, kicked } = setup();
    const first = await create({ idempotencyKey: "key-12345678" });
    const again = await create({ idempotencyKey: "key-12345678" }, "another prompt");
    expect(again).toEqual({ record: first.record, created: false });
    expect((await repository.list({ limit: 10 })).items).toHaveLength(1);
    expect(kicked).toEqual([first.record.id]);
    expect((await create({ idempotencyKey: "key-87654321" })).record.id).not.toBe(first.record.id);
  });

  it("an unknown upload is refused and records nothing", async () => {
    const { service, repository, kicked } = setup();
    const error = await refusal(service.create({ uploadId: "upload-missing-000000", prompt: "", promptOptimizer: true, watermark: false }, { clientKey: "c" }));
    expect({ code: error.code, field: error.field }).toEqual({ code: "not_found", field: "uploadId" });
    expect(await repository.listSpend()).toEqual([]);
    expect(kicked).toEqual([]);
  });

  it("is refused by the in-flight cap until a generation finishes, then admitted", async () => {
    const { create, repository, kicked } = setup({ limits: { maxInFlight: 1 } });
    const first = await create();
    const error = await refusal(create());
    expect({ code: error.code, status: error.status }).toEqual({ code: "rate_limited", status: 429 });
    expect(kicked).toEqual([first.record.id]);
    await finish(repository, first.record.id, { costUsd: "0.25" });
    expect((await create()).created).toBe(true);
  });

  it("is refused by the client's per-minute limit while another client may still start one", async () => {
    const { create } = setup({ limits: { perClientPerMinute: 1 } });
    await create({ clientKey: "client-a" });
    expect((await refusal(create({ clientKey: "client-a" }))).message).toMatch(/You can start 1 generations a minute/);
    expect((await create({ clientKey: "client-b" })).created).toBe(true);
  });

  it("is refused by the global per-minute limit whoever asks", async () => {
    const { create } = setup({ limits: { globalPerMinute: 2 } });
    await create({ clientKey: "client-a" });
    await create({ clientKey: "client-b" });
    expect((await refusal(create({ clientKey: "client-c" }))).message).toMatch(/starting too many generations/);
  });

  it("is refused by the day budget, counting generations not yet billed at the estimate", async () => {
    const { create, repository } = setup({ limits: { maxSpendUsdDay: "0.60" } });
    const billed = await create();
    await finish(repository, billed.record.id, { costUsd: "0.10" });
    await create(); // 0.10 billed + 0.30 for this one
    const error = await refusal(create()); // 0.10 + 0.30 awaiting + 0.30 for this one = 0.70
    expect(error.code).toBe("budget_exceeded");
    expect(error.message).toMatch(/\$0\.10 spent, plus about \$0\.30 for generations not yet billed/);
  });

  it("a replay is answered even when the limits would refuse a new generation", async () => {
    const { create } = setup({ limits: { maxInFlight: 1 } });
    const first = await create({ idempotencyKey: "key-replay-1" });
    expect(await create({ idempotencyKey: "key-replay-1" })).toEqual({ record: first.record, created: false });
  });
});

describe("the generation service: rerun and delete", () => {
  it("a rerun is a new generation with the same upload, prompt and options, honouring its idempotency key", async () => {
    const { service, create, kicked } = setup();
    const source = (await create({}, "turns to the light")).record;
    const rerun = await service.rerun(source.id, { clientKey: "client-a", idempotencyKey: "rerun-key-1" });
    expect(rerun.created).toBe(true);
    expect(rerun.record.id).not.toBe(source.id);
    expect(rerun.record).toMatchObject({
      uploadId: source.uploadId,
      inputKey: source.inputKey,
      prompt: "turns to the light",
      promptOptimizer: true,
      watermark: false,
      status: "queued",
    });
    expect(await service.rerun(source.id, { clientKey: "client-a", idempotencyKey: "rerun-key-1" })).toEqual({ record: rerun.record, created: false });
    expect(kicked).toEqual([source.id, rerun.record.id]);
  });

  it("a retry whose portrait was swept after the generation failed answers why (410), however the sweep came first", async () => {
    const { service, repository, uploads, create } = setup();
    const { record: source } = await create();
    const removed = {
      status: 410,
      code: "upload_expired",
      message: "This portrait was removed 1 hour after the generation failed; start again with the photo.",
    };
    // The sweep took the upload after the rerun read its source.
    uploads.stored.delete(source.uploadId ?? "");
    expect(await refusal(service.rerun(source.id, { clientKey: "client-a" }))).toMatchObject(removed);
    // The sweep unlinked the failed generation from it.
    const unlinked = aGeneration({ uploadId: null }, { status: "failed" });
    await repository.insert(unlinked);
    expect(await refusal(service.rerun(unlinked.id, { clientKey: "client-a" }))).toMatchObject(removed);
  });

  it("a rerun goes through the same limits, and of an unknown generation is not found", async () => {
    const { service, create } = setup({ limits: { maxInFlight: 1 } });
    const source = (await create()).record;
    expect((await refusal(service.rerun(source.id, { clientKey: "client-a" }))).code).toBe("rate_limited");
    expect((await refusal(service.rerun("missing-generation-00", { clientKey: "client-a" }))).code).toBe("not_found");
  });
});

describe("the generation service: share links", () => {
  it("renew makes a new link and the old one stops working at once; revoke ends it", async () => {
    const { service, create, repository } = setup();
    const record = (await create()).record;
    await finish(repository, record.id, { resultKey: "videos/x.mp4" });
    const oldToken = record.shareToken ?? "";
    expect((await service.findShared(oldToken))?.id).toBe(record.id);

    const renewed = await service.renewShareLink(record.id);
    expect(renewed.shareToken).toMatch(/^[\w-]{24}$/);
    expect(renewed.shareToken).not.toBe(oldToken);
    expect(await service.findShared(oldToken)).toBeUndefined();
    expect((await service.findShared(renewed.shareToken ?? ""))?.id).toBe(record.id);

    const revoked = await service.revokeShareLink(record.id);
    expect(revoked.shareToken).toBeNull();
    expect(await service.findShared(renewed.shareToken ?? "")).toBeUndefined();
    expect((await refusal(service.renewShareLink("missing-generation-00"))).code).toBe("not_found");
  });

  it("a link shows only a finished video", async () => {
    const { service, create } = setup();
    const record = (await create()).record;
    expect(await service.findShared(record.shareToken ?? "")).toBeUndefined();
  });
});

describe("the generation service: history", () => {
  it("pages newest first with a cursor, and filters by status", async () => {
    const { service, create, repository } = setup();
    const made = [];
    for (let index = 0; index < 5; index++) made.push((await create({}, `prompt ${index}`)).record);
    await failUnsent(repository, made[1]?.id ?? "");
    const newestFirst = made.map((record) => record.id).reverse();

    const first = await service.list({ limit: 2 });
    expect(first.items.map((record) => record.id)).toEqual(newestFirst.slice(0, 2));
    const second = await service.list({ limit: 2, cursor: first.nextCursor ?? "" });
    expect(second.items.map((record) => record.id)).toEqual(newestFirst.slice(2, 4));
    const last = await service.list({ limit: 2, cursor: second.nextCursor ?? "" });
    expect(last).toEqual({ items: [expect.objectContaining({ id: newestFirst[4] })], nextCursor: null });

    expect((await service.list({ limit: 10, status: "failed" })).items.map((record) => record.id)).toEqual([made[1]?.id]);
    const error = await refusal(service.list({ limit: 2, cursor: "not a cursor" }));
    expect({ code: error.code, field: error.field }).toEqual({ code: "invalid_param", field: "cursor" });
    expect(await service.list({ limit: 2, cursor: encodeCursor({ createdAt: "2000-01-01T00:00:00.000Z", id: "zzz" }) })).toEqual({
      items: [],
      nextCursor: null,
    });
  });
});

describe("the generation service: provider notifications", () => {
  it("notes the task id named while a create is unconfirmed, and only then; always kicks the tracker", async () => {
    const { service, create, repository, kicked } = setup();
    const record = (await create()).record;
    await service.notifyFromCallback(record.callbackSecret, { id: "task-early" });
    expect((await repository.findById(record.id))?.reportedTaskId).toBeNull();

    await sendCreate(repository, record.id);
    await repository.update(record.id, { kind: "progress", status: "processing", progress: null });
    await service.notifyFromCallback(record.callbackSecret, { id: "task-named" });
    expect((await repository.findById(record.id))?.reportedTaskId).toBe("task-named");
    await service.notifyFromCallback(record.callbackSecret, { id: "bad id with spaces" });
    expect((await repository.findById(record.id))?.reportedTaskId).toBe("task-named");
    expect(kicked).toEqual([record.id, record.id, record.id, record.id]);
    expect((await refusal(service.notifyFromCallback("x".repeat(32), { id: "task-1" }))).code).toBe("not_found");
  });
});
