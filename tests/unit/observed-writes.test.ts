import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Kysely } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { GenerationTransition } from "@/lib/generations/generation-repository";
import { createAdmissionGuard } from "@/lib/limits/admission-guard";
import { createKyselyQueueStore } from "@/lib/queue/kysely-queue-store";
import { createQueueService } from "@/lib/queue/queue-service";
import { createKyselyGenerationRepository } from "@/lib/store/kysely-generation-repository";
import { createKyselyUploadRepository } from "@/lib/store/kysely-upload-repository";
import { observeWrites } from "@/lib/store/observed-repository";
import { openSqlite } from "@/lib/store/open-sqlite";
import type { Database } from "@/lib/store/schema";
import { createKyselyTakeStore } from "@/lib/takes/kysely-take-store";
import { createTakeService } from "@/lib/takes/take-service";
import type { UploadRecord } from "@/lib/uploads/upload-record";

const upload: UploadRecord = {
  id: "upload-observed-00000001",
  mediaKey: "inputs/upload-observed-00000001.jpg",
  width: 720,
  height: 960,
  bytes: 1000,
  createdAt: "2026-12-01T10:00:00.000Z",
  expiresAt: "2099-01-01T00:00:00.000Z",
};

/** A real SQLite file; every write any service makes is heard through the observed repository alone. */
describe("the observed repository hears every write, whoever made it", () => {
  let dir: string;
  let db: Kysely<Database>;
  const heard: Array<{ id: string; transition?: GenerationTransition }> = [];

  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "portrait-live-observed-"));
    db = await openSqlite(path.join(dir, "store.db"));
    await createKyselyUploadRepository(db).insert(upload);
    heard.length = 0;
  });

  afterEach(async () => {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  function services() {
    const repository = observeWrites(createKyselyGenerationRepository(db), (id, transition) => void heard.push({ id, transition }));
    const guard = createAdmissionGuard({ perClientPerMinute: 100, globalPerMinute: 100, maxInFlight: 1, maxQueued: 10, costEstimateUsd: "0.30" }, repository);
    const takes = createTakeService({
      store: createKyselyTakeStore(db),
      repository,
      removeGenerations: async () => undefined,
      uploads: { store: async () => upload, usable: async () => upload, release: async () => undefined },
      tracker: { kick: () => undefined },
      guard,
      mode: "live",
    });
    const queue = createQueueService({
      store: createKyselyQueueStore(db, 1),
      repository,
      tracker: { forget: () => undefined },
      maxInFlight: 1,
      maxQueued: 10,
      costEstimateUsd: "0.30",
      typicalDurationMs: 60_000,
    });
    return { takes, queue };
  }

  it("announces each generation a take set inserts, and a cancel with its transition", async () => {
    const { takes, queue } = services();
    const { taken } = await takes.create(
      {
        uploadId: upload.id,
        takes: [
          { prompt: "smile", promptOptimizer: true, watermark: false },
          { prompt: "blink", promptOptimizer: true, watermark: false },
        ],
      },
      { clientKey: "client-a" },
    );
    const ids = taken.records.map((record) => record.id);
    expect(heard.map((entry) => entry.id)).toEqual(ids);

    heard.length = 0;
    await queue.cancel(ids[1]!);
    expect(heard).toEqual([{ id: ids[1], transition: expect.objectContaining({ kind: "cancelled" }) }]);
    const spend = await createKyselyGenerationRepository(db).listSpend();
    expect(spend.filter((entry) => entry.awaitingCost)).toHaveLength(1);
  });
});
