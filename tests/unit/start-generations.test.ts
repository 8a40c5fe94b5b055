import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { ApiError } from "@/lib/errors";
import type { GenerationRepository } from "@/lib/generations/generation-repository";
import { createGenerationStarter, type Started, type StartRequest } from "@/lib/generations/start-generations";
import { createAdmissionGuard } from "@/lib/limits/admission-guard";
import type { UploadRecord } from "@/lib/uploads/upload-record";
import { createInMemoryGenerationRepository } from "../support/fakes/in-memory-generation-repository";

const take = (prompt: string) => ({ prompt, promptOptimizer: true, watermark: false });
let dataUrl: string;

beforeAll(async () => {
  const jpeg = await sharp({ create: { width: 720, height: 960, channels: 3, background: "#886644" } })
    .jpeg()
    .toBuffer();
  dataUrl = `data:image/jpeg;base64,${jpeg.toString("base64")}`;
});

/** Every step the sequence takes, in order, in `calls`; `insertFails` makes the insert throw after admission. */
function setup(options: { insertFails?: Error; maxInFlight?: number } = {}) {
  const calls: string[] = [];
  const inner = createInMemoryGenerationRepository();
  const repository: GenerationRepository = {
    ...inner,
    async insert(record) {
      calls.push("insert");
      if (options.insertFails) throw options.insertFails;
      return inner.insert(record);
    },
    async insertSet(set, records) {
      calls.push(`insert set of ${records.length}`);
      if (options.insertFails) throw options.insertFails;
      return inner.insertSet(set, records);
    },
  };
  let stored = 0;
  const upload = (id: string): UploadRecord => ({
    id,
    mediaKey: `inputs/${id}.jpg`,
    width: 720,
    height: 960,
    bytes: 1000,
    createdAt: "2026-12-07T10:00:00.000Z",
    expiresAt: "2099-01-01T00:00:00.000Z",
  });
  const guard = createAdmissionGuard({ perClientPerMinute: 100, globalPerMinute: 100, maxInFlight: options.maxInFlight ?? 10, costEstimateUsd: "0.30" }, inner);
  const starter = createGenerationStarter({
    repository,
    uploads: {
      store: async () => (calls.push("store upload"), upload(`stored-${++stored}`)),
      usable: async (id) => (calls.push(`usable ${id}`), upload(id)),
      release: async (id) => void calls.push(`release ${id}`),
    },
    tracker: { kick: (id) => void calls.push(`kick ${id}`) },
    guard: {
      admit: (clientKey, create, count) => (calls.push(`admit ${count ?? 1}`), guard.admit(clientKey, create, count)),
      precheck: (clientKey, count) => (calls.push(`precheck ${count ?? 1}`), guard.precheck(clientKey, count)),
    },
    mode: "live",
    now: () => new Date("2026-12-07T10:00:00.000Z"),
  });
  const request = (overrides: Partial<StartRequest> = {}): StartRequest => ({
    portrait: { uploadId: "upload-given" },
    takes: [take("smile")],
    asSet: false,
    clientKey: "client-a",
    replay: async () => undefined,
    ...overrides,
  });
  return { starter, calls, inner, request };
}

async function refusal(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable("it was accepted"),
    (caught: unknown) => caught,
  );
}

describe("starting generations: one sequence for a single generation and a set", () => {
  it("stores the portrait only once admitted, inserts the set, and hands every take to the tracker in order", async () => {
    const { starter, calls, request } = setup();
    const started = await starter.start(request({ portrait: { image: dataUrl }, takes: [take("a"), take("b"), take("c")], asSet: true }));
    expect(started.created).toBe(true);
    expect(started.setId).not.toBeNull();
    expect(started.records.map((record) => [record.prompt, record.uploadId, record.createdAt])).toEqual([
      ["a", "stored-1", "2026-12-07T10:00:00.000Z"],
      ["b", "stored-1", "2026-12-07T10:00:00.001Z"],
      ["c", "stored-1", "2026-12-07T10:00:00.002Z"],
    ]);
    expect(calls).toEqual(["precheck 3", "admit 3", "store upload", "insert set of 3", ...started.records.map((record) => `kick ${record.id}`)]);
  });

  it("a replay returns the first answer and starts, stores and admits nothing", async () => {
    const { starter, calls, request } = setup();
    const first = await starter.start(request({ idempotencyKey: "key-1" }));
    calls.length = 0;
    const answer: Started = { setId: null, records: first.records, created: false };
    const again = await starter.start(
      request({ idempotencyKey: "key-1", portrait: { image: dataUrl }, replay: async (key) => (key === "key-1" ? answer : undefined) }),
    );
    expect(again).toBe(answer);
    expect(calls).toEqual([]);
  });

  it("a failure after admission releases the stored portrait and says the store is full when it is", async () => {
    const { starter, calls, inner, request } = setup({ insertFails: Object.assign(new Error("disk full"), { code: "ENOSPC" }) });
    const error = await refusal(starter.start(request({ portrait: { image: dataUrl }, takes: [take("a"), take("b")], asSet: true })));
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: "storage_full" });
    expect(calls).toEqual(["precheck 2", "admit 2", "store upload", "insert set of 2", "release stored-1"]);
    expect(await inner.listUnfinished()).toEqual([]);

    // Any other failure looks at the upload again: swept meanwhile, that is what the caller hears.
    const other = setup({ insertFails: new Error("FOREIGN KEY constraint failed") });
    expect(await refusal(other.starter.start(other.request()))).toMatchObject({ message: "FOREIGN KEY constraint failed" });
    expect(other.calls).toEqual(["usable upload-given", "admit 1", "insert", "usable upload-given"]);
  });

  it("a refused admission stores nothing (a photo is refused before it is decoded); a lost race for the key releases this request's portrait", async () => {
    const { starter, calls, request } = setup({ maxInFlight: 1 });
    await starter.start(request({ idempotencyKey: "key-2" }));
    calls.length = 0;
    expect(await refusal(starter.start(request({ portrait: { image: dataUrl } })))).toMatchObject({ code: "rate_limited" });
    expect(calls).toEqual(["precheck 1"]);

    const raced = setup();
    const first = await raced.starter.start(raced.request({ idempotencyKey: "key-3" }));
    raced.calls.length = 0;
    // The replay look found nothing (the other request had not committed yet); the insert finds its generation.
    const second = await raced.starter.start(raced.request({ idempotencyKey: "key-3", portrait: { image: dataUrl } }));
    expect(second).toMatchObject({ created: false, records: [expect.objectContaining({ id: first.records[0]!.id })] });
    expect(raced.calls).toEqual(["precheck 1", "admit 1", "store upload", "insert", "release stored-1"]);
  });

  it("refuses a request without a portrait, and more than four takes, before any work", async () => {
    const { starter, calls, request } = setup();
    expect(await refusal(starter.start(request({ portrait: {} as never })))).toMatchObject({ code: "invalid_body", field: "uploadId" });
    expect(await refusal(starter.start(request({ takes: Array.from({ length: 5 }, () => take("x")), asSet: true })))).toBeInstanceOf(Error);
    expect(calls).toEqual([]);
  });
});
