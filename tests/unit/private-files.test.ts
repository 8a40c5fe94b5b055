import { chmodSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { createLocalMediaStore } from "@/lib/media/local-media-store";
import { openSqlite } from "@/lib/store/open-sqlite";

const modeOf = (file: string) => statSync(file).mode & 0o777;
const tempDir = () => mkdtempSync(path.join(os.tmpdir(), "private-files-"));

describe("the SQLite file", () => {
  it("is created private (0600), with its WAL and SHM files, in a private folder (0700)", async () => {
    const dir = path.join(tempDir(), "data");
    const file = path.join(dir, "portrait-live.sqlite");
    const db = await openSqlite(file);
    await sql`create table t (x text)`.execute(db);
    await sql`insert into t values ('a')`.execute(db);
    expect(modeOf(dir)).toBe(0o700);
    expect(modeOf(file)).toBe(0o600);
    expect(modeOf(`${file}-wal`)).toBe(0o600);
    expect(modeOf(`${file}-shm`)).toBe(0o600);
    await db.destroy();
  });

  it("is made private when an older install left it readable by everyone", async () => {
    const dir = tempDir();
    const file = path.join(dir, "portrait-live.sqlite");
    await (await openSqlite(file)).destroy();
    chmodSync(file, 0o644);
    const db = await openSqlite(file);
    await sql`create table t (x text)`.execute(db);
    expect(modeOf(file)).toBe(0o600);
    expect(modeOf(`${file}-wal`)).toBe(0o600);
    await db.destroy();
  });
});

describe("the local media folder", () => {
  const MP4 = Buffer.concat([Buffer.from("\0\0\0\x18ftypisom", "latin1"), Buffer.alloc(64)]);

  it("writes files 0600 in folders 0700", async () => {
    const root = path.join(tempDir(), "media");
    const media = createLocalMediaStore(root);
    await media.putBuffer("inputs/abc.jpg", Buffer.from([0xff, 0xd8, 0xff]));
    await media.putStream("videos/abc.mp4", new Blob([MP4]).stream(), { maxBytes: 1024 });
    expect(modeOf(root)).toBe(0o700);
    expect(modeOf(path.join(root, "inputs"))).toBe(0o700);
    expect(modeOf(path.join(root, "videos"))).toBe(0o700);
    expect(modeOf(path.join(root, "inputs", "abc.jpg"))).toBe(0o600);
    expect(modeOf(path.join(root, "videos", "abc.mp4"))).toBe(0o600);
  });

  it("sweeps the partial files an interrupted write left, keeps finished files, and makes old ones private", async () => {
    const root = path.join(tempDir(), "media");
    for (const folder of ["inputs", "videos"]) mkdirSync(path.join(root, folder), { recursive: true, mode: 0o755 });
    writeFileSync(path.join(root, "videos", "abc.mp4.k3J9xQ2a.partial"), Buffer.alloc(4096));
    writeFileSync(path.join(root, "inputs", "abc.jpg.Zp0c81Lm.partial"), Buffer.alloc(0));
    writeFileSync(path.join(root, "videos", "done.mp4"), MP4, { mode: 0o644 });
    chmodSync(path.join(root, "videos", "done.mp4"), 0o644);
    const media = createLocalMediaStore(root);
    expect(await media.sweep()).toEqual({ removed: 2 });
    expect(readdirSync(path.join(root, "videos"))).toEqual(["done.mp4"]);
    expect(readdirSync(path.join(root, "inputs"))).toEqual([]);
    expect(modeOf(path.join(root, "videos", "done.mp4"))).toBe(0o600);
    expect(modeOf(path.join(root, "videos"))).toBe(0o700);
    expect((await media.stat("videos/done.mp4"))?.bytes).toBe(MP4.length);
  });
});
