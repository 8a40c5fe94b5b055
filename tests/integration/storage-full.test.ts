import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, statfsSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiErrorBodySchema } from "@/lib/contracts/api-error";
import { healthSchema } from "@/lib/contracts/health";
import { createLocalMediaStore } from "@/lib/media/local-media-store";
import type { FakeUpstream } from "../fake-upstream/fake-upstream";
import { createGeneration, getGeneration, postGeneration, waitFor, waitForFinal } from "../support/api";
import { expectServerErrors, startApp, type AppServer } from "../support/app-server";
import { setUpLiveApp } from "../support/live-app";
import { makePortrait, toDataUrl } from "../support/portraits";

const filesUnder = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => entry.name)
    : [];

let image: string;
beforeAll(async () => {
  image = toDataUrl(await makePortrait());
});

describe("below the free-space floor (MEDIA_MIN_FREE_MB above the disk's free space)", () => {
  let app: AppServer;
  beforeAll(async () => {
    // 9 TB: more than any test machine has free, so the store counts as full.
    app = await startApp({ env: { MEDIA_MIN_FREE_MB: "9000000" }, ready: "answering" });
  });
  afterAll(() => app?.stop());

  it("health says media is not ok because space is low", async () => {
    expectServerErrors(app, /^answered 503 to GET \/api\/health$/);
    const response = await fetch(`${app.url}/api/health`);
    expect(response.status).toBe(503);
    expect(healthSchema.parse(await response.json())).toMatchObject({ ok: false, store: { ok: true }, media: { ok: false, problem: "low_space" } });
  });

  it("a create answers 507 with a plain message and stores nothing", async () => {
    expectServerErrors(app, /^answered 507 to POST \/api\/generations$/);
    const response = await postGeneration(app.url, { image });
    expect(response.status).toBe(507);
    const body = apiErrorBodySchema.parse(await response.json());
    expect(body.error.code).toBe("storage_full");
    expect(body.error.message).toMatch(/storage is full/i);
    expect(filesUnder(path.join(app.dataDir, "media"))).toEqual([]);
    const list = await (await fetch(`${app.url}/api/generations`)).json();
    expect(list.items).toEqual([]);
  });
});

/** A small tmpfs, so the disk really fills up (needs root, as on CI; skipped elsewhere). */
function mountSmallDisk(megabytes: number): string | null {
  const dir = mkdtempSync(path.join(os.tmpdir(), "portrait-live-small-disk-"));
  const mounted = spawnSync("mount", ["-t", "tmpfs", "-o", `size=${megabytes}m,mode=0700`, "tmpfs", dir], { encoding: "utf8" });
  if (mounted.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    return null;
  }
  return dir;
}
const unmount = (dir: string) => {
  spawnSync("umount", ["-l", dir]);
  rmSync(dir, { recursive: true, force: true });
};
const freeBytes = (dir: string) => {
  const disk = statfsSync(dir);
  return disk.bavail * disk.bsize;
};
const probe = mountSmallDisk(1);
if (probe) unmount(probe);

describe.skipIf(!probe)("on a disk that is really full (a small tmpfs)", () => {
  it("the local store reports ENOSPC and leaves no partial or empty file behind", async () => {
    const dir = mountSmallDisk(1)!;
    try {
      const media = createLocalMediaStore(path.join(dir, "media"));
      const big = Buffer.alloc(2 * 1024 * 1024, 1);
      await expect(media.putBuffer("inputs/abc.jpg", big)).rejects.toMatchObject({ code: "ENOSPC" });
      const stream = new Blob([Buffer.concat([Buffer.from("\0\0\0\x18ftypisom", "latin1"), big])]).stream();
      await expect(media.putStream("videos/abc.mp4", stream, { maxBytes: 10 * 1024 * 1024 })).rejects.toMatchObject({ code: "ENOSPC" });
      expect(filesUnder(dir)).toEqual([]);
      expect(await media.hasRoom(2 * 1024 * 1024)).toBe(false);
      expect(await media.hasRoom(1024)).toBe(true);
    } finally {
      unmount(dir);
    }
  });

  describe("the app", () => {
    let dir: string;
    let upstream: FakeUpstream;
    let app: AppServer;
    const ballast = () => path.join(dir, "ballast");
    /** Fills the disk up to `leave` bytes of free space. */
    const fillDisk = (leave: number) => {
      rmSync(ballast(), { force: true });
      writeFileSync(ballast(), Buffer.alloc(Math.max(0, freeBytes(dir) - leave)));
    };
    // The disk is mounted before the app starts and unmounted after it stops.
    beforeAll(() => {
      dir = mountSmallDisk(8)!;
    });
    afterAll(() => {
      if (dir) unmount(dir);
    });
    const live = setUpLiveApp({
      apiKey: "vtx-disk-full-4411",
      timeline: { pendingMs: 100, processingMs: 200 },
      env: { POLL_INTERVAL_MS: "100", MEDIA_MIN_FREE_MB: "0" },
    });
    beforeAll(async () => {
      ({ upstream } = live);
      app = await live.startApp({ dataDir: path.join(dir, "data"), env: live.env() });
    });

    it("shows the generation waiting for space without downloading again and again, then saves it by itself", async () => {
      // A full disk is the operator's problem: each wait is logged at error level.
      expectServerErrors(app, /"msg":"media storage is full; the result will be saved once space returns"/);
      // Leave room for the portrait and the database, not for the 1.2 MB video.
      fillDisk(600 * 1024);
      const created = await createGeneration(app.url, { image });
      const waiting = await waitFor(async () => {
        const view = await getGeneration(app.url, created.id);
        return view.notice?.code === "storage_full" ? view : null;
      }, 20_000);
      expect(waiting.status).toBe("processing");
      expect(waiting.notice?.message).toMatch(/storage is full/i);
      expect(waiting.error).toBeNull();
      // The generation's page says so in its server HTML, not only the API.
      const page = await fetch(`${app.url}/g/${created.id}`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain(waiting.notice?.message.replaceAll("'", "&#x27;") ?? "no notice");
      // The video's size is known from the first try: while it cannot fit, the link is not opened again.
      const opened = upstream.stats().cdn.downloads;
      expect(opened).toBeLessThanOrEqual(1);
      await new Promise((resolve) => setTimeout(resolve, 2000));
      expect(upstream.stats().cdn.downloads).toBe(opened);
      expect(app.output()).toMatch(/media storage is full/);
      rmSync(ballast());
      const done = await waitForFinal(app.url, created.id, 60_000);
      expect(done).toMatchObject({ status: "succeeded", notice: null });
      expect(upstream.stats().cdn.downloads).toBe(opened + 1);
    });

    it("a create on the full disk answers 507 and leaves no empty files", async () => {
      expectServerErrors(app, /^answered 507 to POST \/api\/generations$/);
      fillDisk(0);
      const inputs = path.join(app.dataDir, "media", "inputs");
      const before = filesUnder(inputs).length;
      const response = await postGeneration(app.url, { image });
      expect(response.status).toBe(507);
      expect(apiErrorBodySchema.parse(await response.json()).error.code).toBe("storage_full");
      expect(filesUnder(inputs)).toHaveLength(before);
      rmSync(ballast());
    });
  });
});
