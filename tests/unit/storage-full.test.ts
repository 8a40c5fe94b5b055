import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { ApiError } from "@/lib/errors";
import { createGenerationService } from "@/lib/generations/generation-service";
import { createLocalMediaStore } from "@/lib/media/local-media-store";
import type { MediaStore } from "@/lib/media/media-store";
import { createKyselyGenerationRepository } from "@/lib/store/kysely-generation-repository";
import { createKyselyUploadRepository } from "@/lib/store/kysely-upload-repository";
import { createUploadService } from "@/lib/uploads/upload-service";
import { openSqlite } from "@/lib/store/open-sqlite";
import { makePortrait, toDataUrl } from "../support/portraits";

const enospc = () => Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC", errno: -28, syscall: "write" });

const filesUnder = (dir: string): string[] =>
  (existsSync(dir) ? readdirSync(dir, { recursive: true, withFileTypes: true }) : []).filter((entry) => entry.isFile()).map((entry) => entry.name);

async function service(wrap: (media: MediaStore) => MediaStore) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "storage-full-"));
  const db = await openSqlite(path.join(dir, "db.sqlite"));
  const repository = createKyselyGenerationRepository(db);
  const mediaDir = path.join(dir, "media");
  const media = wrap(createLocalMediaStore(mediaDir));
  const kicked: string[] = [];
  const uploads = createUploadService({
    uploads: createKyselyUploadRepository(db),
    media,
    guard: { admitRequest: async () => undefined, checkRoom: async () => undefined, withRoom: (_bytes, store) => store() },
    ttlMs: 3_600_000,
  });
  const generations = createGenerationService({
    repository,
    uploads,
    tracker: { kick: (id) => void kicked.push(id) },
    guard: { admit: (_client, create) => create(), precheck: async () => undefined },
    notifications: { taskIdFromNotification: () => null },
    costEstimateUsd: "0.30",
    mode: "live",
  });
  return { generations, repository, mediaDir, kicked, db };
}

async function createError(generations: Awaited<ReturnType<typeof service>>["generations"]) {
  const image = toDataUrl(await makePortrait());
  return generations.create({ image, prompt: "", promptOptimizer: true, watermark: false }, { clientKey: "c" }).then(
    () => null,
    (error: unknown) => error,
  );
}

describe("creating while storage is full", () => {
  it("answers 507 storage_full, before any work, when the media store is below its free-space floor", async () => {
    let writes = 0;
    const { generations, repository, mediaDir, kicked } = await service((media) => ({
      ...media,
      hasRoom: async () => false,
      putBuffer: async (key, data) => {
        writes++;
        return media.putBuffer(key, data);
      },
    }));
    const error = await createError(generations);
    expect(ApiError.is(error) && { code: error.code, status: error.status }).toEqual({ code: "storage_full", status: 507 });
    expect((error as ApiError).message).toMatch(/storage is full/i);
    expect(writes).toBe(0);
    expect((await repository.list({ limit: 10 })).items).toHaveLength(0);
    expect(filesUnder(mediaDir)).toEqual([]);
    expect(kicked).toEqual([]);
  });

  it("answers 507 when writing the portrait fails with ENOSPC, keeping nothing", async () => {
    const { generations, repository, mediaDir } = await service((media) => ({
      ...media,
      putBuffer: async () => {
        throw enospc();
      },
    }));
    const error = await createError(generations);
    expect(ApiError.is(error) && error.code).toBe("storage_full");
    expect((await repository.list({ limit: 10 })).items).toHaveLength(0);
    expect(filesUnder(mediaDir)).toEqual([]);
  });

  it("answers 507 when the database is full, and removes the portrait it had stored", async () => {
    const { generations, mediaDir, db } = await service((media) => media);
    const image = toDataUrl(await makePortrait());
    await generations.create({ image, prompt: "", promptOptimizer: true, watermark: false }, { clientKey: "c" });
    const before = filesUnder(mediaDir).length;
    // A page limit stops the database file from growing, the way a full disk does.
    const { rows } = await sql<{ page_count: number }>`pragma page_count`.execute(db);
    await sql.raw(`pragma max_page_count = ${rows[0]?.page_count ?? 1}`).execute(db);
    const error = await generations.create({ image, prompt: "\u{1F600}".repeat(2000), promptOptimizer: true, watermark: false }, { clientKey: "c" }).then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ code: "storage_full", status: 507 });
    expect(filesUnder(mediaDir)).toHaveLength(before);
  });
});

describe("SQLite when its file cannot grow", () => {
  it("reports SQLITE_FULL from a transaction, not the failed rollback that hid it", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "sqlite-full-"));
    const db = await openSqlite(path.join(dir, "db.sqlite"));
    await sql`create table filler (x text)`.execute(db);
    await sql`insert into filler values ('a')`.execute(db);
    const { rows } = await sql<{ page_count: number }>`pragma page_count`.execute(db);
    // A page limit stops the file from growing, the way a full disk does (SQLite then rolls the transaction back itself).
    await sql.raw(`pragma max_page_count = ${rows[0]?.page_count ?? 1}`).execute(db);
    const error = await db
      .transaction()
      .execute(async (trx) => {
        await sql`update filler set x = ${"x".repeat(64 * 1024)}`.execute(trx);
        await sql`update filler set x = ${"y".repeat(64 * 1024)}`.execute(trx);
      })
      .then(
        () => null,
        (caught: unknown) => caught as { code?: string; message: string },
      );
    expect(error?.message).not.toContain("cannot rollback");
    expect(error?.code).toBe("SQLITE_FULL");
    // The connection is still usable afterwards, and nothing of the transaction was kept.
    const after = await sql<{ x: string }>`select x from filler`.execute(db);
    expect(after.rows).toEqual([{ x: "a" }]);
  });
});
