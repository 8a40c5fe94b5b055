import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generationListSchema } from "@/lib/contracts/generation";
import { healthSchema } from "@/lib/contracts/health";
import type { FakeUpstream } from "../fake-upstream/fake-upstream";
import { createGeneration, getGeneration, waitFor, waitForFinal } from "../support/api";
import { newDataDir, startApp, type AppServer } from "../support/app-server";
import { setUpLiveApp } from "../support/live-app";
import { makePortrait, toDataUrl } from "../support/portraits";
import { startPostgres, type PostgresServer } from "../support/postgres-server";

const API_KEY = "vtx-postgres-store-secret-41c2";
// Trust auth accepts any password; one is set so the test can prove it is never echoed.
const DB_PASSWORD = "pg-password-never-shown-9d1e";
const live = setUpLiveApp({ apiKey: API_KEY, timeline: { pendingMs: 200, processingMs: 2500 }, env: { POLL_INTERVAL_MS: "150" } });
let postgres: PostgresServer;
let upstream: FakeUpstream;
let databaseUrl: string;
let dataDir: string;
let image: string;
const apps: AppServer[] = [];

/** An app on the shared DATA_DIR and database, for this test only (stopped after it). */
async function start(): Promise<AppServer> {
  const app = await live.startApp({ dataDir, env: live.env({ DATABASE_URL: databaseUrl }) });
  apps.push(app);
  return app;
}

beforeAll(async () => {
  postgres = await startPostgres();
  databaseUrl = postgres.url.replace("postgres://portrait@", `postgres://portrait:${DB_PASSWORD}@`);
  ({ upstream } = live);
  dataDir = newDataDir();
  image = toDataUrl(await makePortrait());
});

afterAll(async () => {
  await postgres?.stop();
});

describe("the app pointed at Postgres (DATABASE_URL)", () => {
  it("keeps generations in Postgres, resumes them after a restart, and never shows the database password", async () => {
    const first = await start();
    const health = healthSchema.parse(await (await fetch(`${first.url}/api/health`)).json());
    expect(health).toMatchObject({ ok: true, store: { ok: true, kind: "postgres" } });

    const finished = await waitForFinal(first.url, (await createGeneration(first.url, { image, prompt: "she smiles" })).id);
    expect(finished).toMatchObject({ status: "succeeded", cost: "0.28" });

    // Stop in the middle of the next one: the new process must pick it up from Postgres.
    const creates = upstream.stats().creates.accepted;
    const interrupted = await createGeneration(first.url, { image, prompt: "she blinks" });
    await waitFor(async () => (await getGeneration(first.url, interrupted.id)).status === "processing");
    await first.stop();

    const second = await start();
    expect(await waitForFinal(second.url, interrupted.id)).toMatchObject({ status: "succeeded" });
    expect(upstream.stats().creates.accepted - creates).toBe(1);

    const history = generationListSchema.parse(await (await fetch(`${second.url}/api/generations`)).json());
    expect(history.items.map((item) => item.id)).toEqual([interrupted.id, finished.id]);
    const video = await fetch(`${second.url}${finished.videoUrl}`);
    expect(
      Buffer.from(await video.arrayBuffer())
        .subarray(4, 8)
        .toString("latin1"),
    ).toBe("ftyp");
    // The embedded store was never created: everything went to Postgres.
    expect(existsSync(path.join(dataDir, "portrait-live.sqlite"))).toBe(false);

    for (const app of apps) expect(app.output()).not.toContain(DB_PASSWORD);
    expect(JSON.stringify(health)).not.toContain(DB_PASSWORD);
  });

  it("refuses to start with a DATABASE_URL that is not a Postgres URL, naming the variable", async () => {
    const app = startApp({ dataDir: newDataDir(), env: { DATABASE_URL: "mysql://root@127.0.0.1/portrait" } });
    await expect(app).rejects.toThrow(/DATABASE_URL: must be a postgres:\/\/ or postgresql:\/\/ URL/);
  });
});
