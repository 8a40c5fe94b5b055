import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generationViewSchema } from "@/lib/contracts/generation";
import { getGeneration, waitFor, waitForFinal } from "../support/api";
import { newDataDir, type AppServer } from "../support/app-server";
import { setUpLiveApp } from "../support/live-app";
import { makePortrait } from "../support/portraits";
import { withBucket } from "../support/s3-bucket";
import { startS3Server, type S3Server } from "../support/s3-server";
import { createTakes, getTakes } from "../support/takes-api";
import { createUpload } from "../support/upload-api";

const API_KEY = "vtx-remove-generations-secret-8d1f";
const PREFIX = "portrait-live/";
const live = setUpLiveApp({ apiKey: API_KEY, timeline: { pendingMs: 100, processingMs: 300 }, env: { POLL_INTERVAL_MS: "100" } });
let s3: S3Server;
let portrait: Buffer;

beforeAll(async () => {
  s3 = await startS3Server();
  portrait = await makePortrait();
});

afterAll(async () => {
  await s3?.stop();
});

function readDb<T>(dataDir: string, read: (db: Database.Database) => T): T {
  const db = new Database(path.join(dataDir, "portrait-live.sqlite"), { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/** Every table column that names a generation (lib/store/schema.ts), and how many rows name this one. */
function rowsNaming(dataDir: string, id: string) {
  return readDb(dataDir, (db) => {
    const count = (query: string) => (db.prepare(query).get(id) as { n: number }).n;
    return {
      generations: count("select count(*) as n from generations where id = ?"),
      takeSetMembers: count("select count(*) as n from take_set_members where generation_id = ?"),
      favouriteOf: count("select count(*) as n from take_sets where favourite_id = ?"),
      mediaDerivatives: count("select count(*) as n from media_derivatives where generation_id = ?"),
      mediaSettings: count("select count(*) as n from media_settings where generation_id = ?"),
      usageLedger: count("select count(*) as n from usage_ledger where generation_id = ?"),
    };
  });
}

const GONE = { generations: 0, takeSetMembers: 0, favouriteOf: 0, mediaDerivatives: 0, mediaSettings: 0, usageLedger: 1 };

/** What the sweeps would look for: rows whose generation, set or user is gone. */
function leftForSweeps(dataDir: string) {
  return readDb(dataDir, (db) => {
    const count = (query: string) => (db.prepare(query).get() as { n: number }).n;
    const noGeneration = (table: string) => `select count(*) as n from ${table} t where not exists (select 1 from generations g where g.id = t.generation_id)`;
    return {
      derivatives: count(noGeneration("media_derivatives")),
      settings: count(noGeneration("media_settings")),
      members: count(noGeneration("take_set_members")),
      emptySets: count("select count(*) as n from take_sets s where not exists (select 1 from take_set_members m where m.set_id = s.id)"),
      unusedUploads: count("select count(*) as n from uploads u where not exists (select 1 from generations g where g.upload_id = u.id)"),
    };
  });
}

const NOTHING_LEFT = { derivatives: 0, settings: 0, members: 0, emptySets: 0, unusedUploads: 0 };

function derivativeStates(dataDir: string, id: string): Array<{ kind: string; state: string }> {
  return readDb(dataDir, (db) => db.prepare("select kind, state from media_derivatives where generation_id = ? order by kind").all(id) as never);
}

/** Files (relative, with forward slashes) and folders under a local folder. */
function localEntries(root: string): { files: string[]; folders: string[] } {
  if (!existsSync(root)) return { files: [], folders: [] };
  const entries = readdirSync(root, { recursive: true, withFileTypes: true });
  const relative = (entry: (typeof entries)[number]) => path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join("/");
  return {
    files: entries
      .filter((entry) => entry.isFile())
      .map(relative)
      .sort(),
    folders: entries
      .filter((entry) => entry.isDirectory())
      .map(relative)
      .sort(),
  };
}

const bucketKeys = () =>
  withBucket(s3, async (client) => {
    const listing = await client.send(new ListObjectsV2Command({ Bucket: s3.bucket }));
    return (listing.Contents ?? []).map((item) => (item.Key ?? "").replace(PREFIX, "")).sort();
  });

const send = (app: AppServer, url: string, method: string, body?: unknown) =>
  fetch(`${app.url}${url}`, {
    method,
    ...(body === undefined ? {} : { headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) }),
  });

const filesOf = (id: string, loop: string) => [
  `videos/${id}.mp4`,
  ...["frame.jpg", "light.mp4", "preview.webp", "web.mp4", loop].map((name) => `derived/${id}/${name}`),
];

/** A finished take with its base derived media and one loop made. */
async function takeWithMedia(app: AppServer, id: string, loop: { format: "gif" | "webp"; pingPong: boolean }) {
  expect((await waitForFinal(app.url, id)).status).toBe("succeeded");
  expect([200, 202]).toContain((await send(app, `/api/generations/${id}/loops`, "POST", loop)).status);
  await waitFor(async () => {
    const jobs = derivativeStates(app.dataDir, id);
    if (jobs.some((job) => job.state === "failed")) throw new Error(`a derivative of ${id} failed`);
    return jobs.length === 5 && jobs.every((job) => job.state === "ready");
  }, 120_000);
}

/**
 * A take set of two on the fake provider, both with derived media, a loop, a renewed share
 * link; the first also the favourite and with its loop setting stored. Deletes the first take
 * alone, then the set, checking rows and files (`files`: the media store's keys) after each.
 */
async function deleteTakeThenSet(app: AppServer, files: () => Promise<string[]>) {
  const upload = await createUpload(app.url, portrait);
  const set = await createTakes(app.url, { uploadId: upload.id, takes: [{ prompt: "first take" }, { prompt: "second take" }] });
  const [first, second] = set.generations.map((generation) => generation.id) as [string, string];
  await takeWithMedia(app, first, { format: "gif", pingPong: false });
  await takeWithMedia(app, second, { format: "webp", pingPong: true });
  expect((await send(app, `/api/generations/${first}/loops`, "PATCH", { shareLoops: false })).status).toBe(200);
  expect((await send(app, `/api/takes/${set.id}`, "PATCH", { favouriteId: first })).status).toBe(200);
  const shared = await Promise.all(
    [first, second].map(async (id) => {
      const renewed = await send(app, `/api/generations/${id}/share`, "POST");
      expect(renewed.status).toBe(200);
      const token = generationViewSchema.parse(await renewed.json()).shareUrl?.split("/s/")[1] ?? "";
      expect((await fetch(`${app.url}/api/share/${token}/video`, { headers: { Range: "bytes=0-1" } })).status).toBe(206);
      return token;
    }),
  );

  const inputKey = `inputs/${upload.id}.jpg`;
  const firstFiles = filesOf(first, "loop.gif");
  const secondFiles = filesOf(second, "loop-pingpong.webp");
  expect(await files()).toEqual([...firstFiles, ...secondFiles, inputKey].sort());
  expect(rowsNaming(app.dataDir, first)).toEqual({ ...GONE, generations: 1, takeSetMembers: 1, favouriteOf: 1, mediaDerivatives: 5, mediaSettings: 1 });

  // One take: it and everything made from it go; the other take, the set and the shared portrait stay.
  expect((await send(app, `/api/generations/${first}`, "DELETE")).status).toBe(204);
  expect(rowsNaming(app.dataDir, first)).toEqual(GONE);
  expect(await files()).toEqual([...secondFiles, inputKey].sort());
  expect((await fetch(`${app.url}/api/share/${shared[0]}/video`)).status).toBe(404);
  expect((await fetch(`${app.url}/s/${shared[0]}`)).status).toBe(404);
  expect((await send(app, `/api/generations/${first}`, "DELETE")).status).toBe(404);
  const left = await getTakes(app.url, set.id);
  expect({ ids: left.generations.map((generation) => generation.id), favouriteId: left.favouriteId }).toEqual({ ids: [second], favouriteId: null });
  const intact = await getGeneration(app.url, second);
  expect(intact.webVideoUrl && intact.lightVideoUrl).toBeTruthy();
  expect((await fetch(`${app.url}/api/share/${shared[1]}/video`, { headers: { Range: "bytes=0-1" } })).status).toBe(206);
  expect(rowsNaming(app.dataDir, second)).toMatchObject({ generations: 1, takeSetMembers: 1, mediaDerivatives: 5 });
  expect(leftForSweeps(app.dataDir)).toEqual(NOTHING_LEFT);

  // The set: every take in it, the set itself and the portrait no generation uses any more.
  expect((await send(app, `/api/takes/${set.id}`, "DELETE")).status).toBe(204);
  expect((await fetch(`${app.url}/api/takes/${set.id}`)).status).toBe(404);
  expect((await fetch(`${app.url}/api/generations/${second}`)).status).toBe(404);
  expect((await fetch(`${app.url}/api/share/${shared[1]}/video`)).status).toBe(404);
  for (const id of [first, second]) expect(rowsNaming(app.dataDir, id)).toEqual(GONE);
  expect(await files()).toEqual([]);
  expect(readDb(app.dataDir, (db) => db.prepare("select count(*) as n from take_sets").get())).toEqual({ n: 0 });
  expect(readDb(app.dataDir, (db) => db.prepare("select count(*) as n from uploads").get())).toEqual({ n: 0 });
  expect(leftForSweeps(app.dataDir)).toEqual(NOTHING_LEFT);
}

describe("deleting takes with loops, share links and derived media", () => {
  it("on the local media folder leaves no row, file, folder or orphan", { timeout: 240_000 }, async () => {
    const app = await live.startApp({ dataDir: newDataDir(), env: live.env() });
    const media = path.join(app.dataDir, "media");
    await deleteTakeThenSet(app, async () => localEntries(media).files);
    // Nor an empty folder per deleted generation.
    expect(localEntries(path.join(media, "derived")).folders).toEqual([]);
  });

  it("on S3 leaves no row, object or orphan", { timeout: 240_000 }, async () => {
    const app = await live.startApp({
      dataDir: newDataDir(),
      env: live.env({
        S3_BUCKET: s3.bucket,
        S3_ENDPOINT: s3.endpoint,
        S3_ACCESS_KEY_ID: s3.accessKeyId,
        S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
        S3_PREFIX: PREFIX,
      }),
    });
    await deleteTakeThenSet(app, bucketKeys);
    expect(localEntries(path.join(app.dataDir, "media")).files).toEqual([]);
  });
});
