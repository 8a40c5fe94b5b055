import { mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGeneration, waitForFinal } from "../support/api";
import { newDataDir, startApp, type AppServer } from "../support/app-server";
import { makePortrait, toDataUrl } from "../support/portraits";

const modeOf = (file: string) => statSync(file).mode & 0o777;

describe("files left by a crash, and file permissions", () => {
  let app: AppServer;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = newDataDir();
    // What a process killed in the middle of storing a video and a portrait leaves behind.
    mkdirSync(path.join(dataDir, "media", "videos"), { recursive: true, mode: 0o755 });
    mkdirSync(path.join(dataDir, "media", "inputs"), { recursive: true, mode: 0o755 });
    writeFileSync(path.join(dataDir, "media", "videos", "Ab3dEf6hIj9kLm2nOp5qR.mp4.x1Y2z3W4.partial"), Buffer.alloc(3 * 1024 * 1024));
    writeFileSync(path.join(dataDir, "media", "inputs", "Ab3dEf6hIj9kLm2nOp5qR.jpg.a1B2c3D4.partial"), Buffer.alloc(0));
    app = await startApp({ dataDir, env: { DEMO_DURATION_MS: "500" } });
  });
  afterAll(() => app?.stop());

  it("sweeps partial files at start", () => {
    expect(readdirSync(path.join(dataDir, "media", "videos"))).toEqual([]);
    expect(readdirSync(path.join(dataDir, "media", "inputs"))).toEqual([]);
    expect(app.output()).toContain("removed files left by interrupted media writes");
  });

  it("keeps the database, its WAL and SHM, and media private to the server's user", async () => {
    const done = await waitForFinal(app.url, (await createGeneration(app.url, { image: toDataUrl(await makePortrait()) })).id, 60_000);
    expect(done.status).toBe("succeeded");
    const db = path.join(dataDir, "portrait-live.sqlite");
    for (const file of [db, `${db}-wal`, `${db}-shm`]) expect([file, modeOf(file)]).toEqual([file, 0o600]);
    for (const folder of ["media", "media/inputs", "media/videos"]) expect([folder, modeOf(path.join(dataDir, folder))]).toEqual([folder, 0o700]);
    const inputs = readdirSync(path.join(dataDir, "media", "inputs"));
    expect(inputs).toHaveLength(1);
    for (const input of inputs) expect(modeOf(path.join(dataDir, "media", "inputs", input))).toBe(0o600);
    expect(modeOf(path.join(dataDir, "media", "videos", `${done.id}.mp4`))).toBe(0o600);
  });
});
