import { describe, expect, it } from "vitest";
import { ApiError } from "@/lib/errors";
import type { GenerationRecord } from "@/lib/generations/generation-record";
import { removeGenerations, type GenerationRemovalDeps } from "@/lib/generations/remove-generations";
import type { TakeSetRecord, TakeStore } from "@/lib/takes/kysely-take-store";
import { createTakeService } from "@/lib/takes/take-service";
import { aGeneration } from "../support/fakes/generation-record";

/** Every dependency faked: each side effect is written to `calls` in the order it ran; `failing` makes one throw. */
function setup(records: GenerationRecord[], failing: string[] = []) {
  const rows = new Map(records.map((record) => [record.id, record]));
  const calls: string[] = [];
  const warnings: Array<{ details: object; message: string }> = [];
  const effect = (name: string) => async (arg: string) => {
    calls.push(`${name} ${arg}`);
    if (failing.includes(name)) throw new Error(`${name} failed`);
  };
  const deps: GenerationRemovalDeps = {
    generations: {
      findById: async (id) => rows.get(id),
      async delete(id) {
        await effect("row")(id);
        return rows.delete(id);
      },
    },
    takes: { forgetMember: effect("membership") },
    tracker: { forget: (id) => void calls.push(`forget ${id}`) },
    derivatives: { removeAll: effect("derived") },
    media: { delete: effect("file") },
    uploads: { release: effect("upload") },
    warn: (details, message) => void warnings.push({ details, message }),
  };
  return { deps, rows, calls, warnings };
}

const succeeded = (id: string, uploadId: string | null = "upload-shared-00000001") =>
  aGeneration({ id, uploadId }, { status: "succeeded", resultKey: `videos/${id}.mp4`, resultBytes: 1000 });

async function refusal(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => expect.unreachable("it resolved"),
    (caught: unknown) => caught,
  );
  expect(ApiError.is(error)).toBe(true);
  return error as ApiError;
}

describe("removeGenerations", () => {
  it("runs every side effect once, with this generation's ids, in order: set, row, tracker, derived media, video, portrait", async () => {
    const { deps, rows, calls, warnings } = setup([succeeded("gen-a")]);
    expect(await removeGenerations(["gen-a"], deps)).toEqual(["gen-a"]);
    expect(calls).toEqual(["membership gen-a", "row gen-a", "forget gen-a", "derived gen-a", "file videos/gen-a.mp4", "upload upload-shared-00000001"]);
    expect(rows.size).toBe(0);
    expect(warnings).toEqual([]);
  });

  it("removes every member of a set in turn; the shared upload is offered back by each (it goes with the last)", async () => {
    const { deps, calls } = setup([succeeded("gen-a"), succeeded("gen-b")]);
    expect(await removeGenerations(["gen-a", "gen-b"], deps)).toEqual(["gen-a", "gen-b"]);
    expect(calls.filter((call) => call.startsWith("row") || call.startsWith("upload"))).toEqual([
      "row gen-a",
      "upload upload-shared-00000001",
      "row gen-b",
      "upload upload-shared-00000001",
    ]);
  });

  it("deletes the input file itself for a generation stored before uploads, and no video for one that never had one", async () => {
    const failed = aGeneration({ id: "gen-old", uploadId: null }, { status: "failed" });
    const { deps, calls } = setup([failed]);
    await removeGenerations(["gen-old"], deps);
    expect(calls).toEqual(["membership gen-old", "row gen-old", "forget gen-old", "derived gen-old", "file inputs/gen-old.jpg"]);
  });

  it("skips ids that are not there, or with mustExist answers not_found before touching anything", async () => {
    const { deps, calls } = setup([succeeded("gen-a")]);
    expect(await removeGenerations(["gen-gone", "gen-a"], deps)).toEqual(["gen-a"]);
    calls.length = 0;
    expect((await refusal(removeGenerations(["gen-a"], deps, { mustExist: true }))).code).toBe("not_found");
    expect(calls).toEqual([]);
  });

  it("when the row cannot be deleted, no file is touched and the tracker keeps following it: the user keeps a playable video", async () => {
    const { deps, rows, calls } = setup([succeeded("gen-a")], ["row"]);
    await expect(removeGenerations(["gen-a"], deps)).rejects.toThrow("row failed");
    expect(calls).toEqual(["membership gen-a", "row gen-a"]);
    expect(rows.has("gen-a")).toBe(true);
  });

  it("when leaving the set fails, nothing else happens (the take stays in its set)", async () => {
    const { deps, rows, calls } = setup([succeeded("gen-a")], ["membership"]);
    await expect(removeGenerations(["gen-a"], deps)).rejects.toThrow("membership failed");
    expect(calls).toEqual(["membership gen-a"]);
    expect(rows.has("gen-a")).toBe(true);
  });

  it("once the row is gone, a failing clean-up step is logged and the others still run, for every member", async () => {
    const { deps, calls, warnings } = setup([succeeded("gen-a"), succeeded("gen-b")], ["derived", "file"]);
    expect(await removeGenerations(["gen-a", "gen-b"], deps)).toEqual(["gen-a", "gen-b"]);
    for (const id of ["gen-a", "gen-b"]) {
      expect(calls).toEqual(expect.arrayContaining([`derived ${id}`, `file videos/${id}.mp4`]));
    }
    expect(calls.filter((call) => call.startsWith("upload"))).toHaveLength(2);
    expect(warnings.map(({ details, message }) => ({ ...details, message }))).toEqual([
      expect.objectContaining({ generationId: "gen-a", step: "derived media", message: expect.any(String) }),
      expect.objectContaining({ generationId: "gen-a", step: "result video", key: "videos/gen-a.mp4" }),
      expect.objectContaining({ generationId: "gen-b", step: "derived media" }),
      expect.objectContaining({ generationId: "gen-b", step: "result video", key: "videos/gen-b.mp4" }),
    ]);
  });
});

describe("a take set's removal", () => {
  const never = () => {
    throw new Error("not used by removal");
  };

  function takeService(set: TakeSetRecord | undefined, calls: string[]) {
    const store = {
      findById: async () => set,
      delete: async (id: string) => void calls.push(`set ${id}`),
    };
    return createTakeService({
      store: store as unknown as TakeStore,
      repository: { findById: never, insert: never, insertSet: never },
      removeGenerations: async (ids) => void calls.push(`remove ${ids.join(",")}`),
      uploads: { store: never, usable: never, release: never },
      tracker: { kick: never },
      guard: { admit: never } as never,
      mode: "live",
    });
  }

  it("hands every take to the one removal, then forgets the set", async () => {
    const calls: string[] = [];
    const set = { id: "set-1", uploadId: null, favouriteId: null, idempotencyKey: null, createdAt: "", generationIds: ["gen-a", "gen-b"] };
    await takeService(set, calls).remove("set-1");
    expect(calls).toEqual(["remove gen-a,gen-b", "set set-1"]);
  });

  it("answers not_found for an unknown set, removing nothing", async () => {
    const calls: string[] = [];
    expect((await refusal(takeService(undefined, calls).remove("set-1"))).code).toBe("not_found");
    expect(calls).toEqual([]);
  });
});
