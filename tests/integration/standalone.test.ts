import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, chownSync, cpSync, existsSync, lstatSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, type Stats } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { healthSchema } from "@/lib/contracts/health";
import { createGeneration, waitForFinal } from "../support/api";
import { freePort } from "../support/app-server";
import { ROOT, commandArgv, healthcheckArgv, imageBuildCommand, imageFiles, readDockerfile, stageEnv } from "../support/container-image";
import { startPostgres, type PostgresServer } from "../support/postgres-server";
import { makePortrait, toDataUrl } from "../support/portraits";
import { rawRequest } from "../support/raw-http";
import { startS3Server, type S3Server } from "../support/s3-server";

/**
 * What the container image runs, run here without a container runtime: the standalone
 * build, copied by image-files.json (the list the Dockerfile's COPY lines are checked
 * against) into an empty folder with no repository or node_modules around it, started
 * with the Dockerfile's CMD (the front door, `node server.mjs`) as an unprivileged user
 * with the image's environment, and taken through a whole demo generation — on SQLite and
 * a local folder, and on PostgreSQL and S3 — and through the front door's checks.
 */

const DIST = ".next-standalone";
const TARGETS = { sizeMB: 150, coldStartMs: 1500, rssMB: 150 };
const dockerfile = readDockerfile();
const runStage = dockerfile.at(-1)!;
const imageEnv = stageEnv(runStage);
const imageCommand = commandArgv(runStage);
/** npm marks the packages only dev dependencies need (directly or not) with `dev: true`. */
const lockfile = JSON.parse(readFileSync(path.join(ROOT, "package-lock.json"), "utf8")) as {
  packages: Record<string, { dev?: boolean }>;
};

/** Root here (as in CI) drops to `nobody`, as the image runs as an unprivileged user. */
const runAs: { uid?: number; gid?: number } = process.getuid?.() === 0 ? { uid: idOf("-u", "nobody"), gid: idOf("-g", "nobody") } : {};
function idOf(flag: string, user: string): number {
  return Number(spawnSync("id", [flag, user], { encoding: "utf8" }).stdout.trim());
}

let workDir: string;
let appDir: string;
const figures: Array<[name: string, value: string, target: string, met: boolean | undefined]> = [];

function walk(dir: string, visit: (file: string, info: Stats) => void) {
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name);
    const info = lstatSync(file);
    visit(file, info);
    if (info.isDirectory()) walk(file, visit);
  }
}

beforeAll(async () => {
  // The build stage's own command (it sets NEXT_OUTPUT=standalone), into a folder of its own.
  const [command, ...args] = imageBuildCommand().split(" ");
  expect(command).toBe("node");
  // As in the build stage, NODE_ENV is not set (vitest sets it to "test").
  const buildEnv: Record<string, string | undefined> = { ...process.env, NEXT_DIST_DIR: DIST, NEXT_TELEMETRY_DISABLED: "1" };
  delete buildEnv.NODE_ENV;
  const build = spawnSync(process.execPath, args, { cwd: ROOT, encoding: "utf8", env: buildEnv as NodeJS.ProcessEnv });
  if (build.status !== 0) throw new Error(`standalone build failed:\n${build.stdout}\n${build.stderr}`);

  workDir = mkdtempSync(path.join(os.tmpdir(), "portrait-live-image-"));
  appDir = path.join(workDir, "app");
  for (const { from, to } of imageFiles(DIST)) {
    // verbatimSymlinks: Next links hashed package names to node_modules with relative links; keep them relative.
    cpSync(path.join(ROOT, from), path.join(appDir, to), { recursive: true, verbatimSymlinks: true });
  }
  // The image's build context has no .env (.dockerignore); Next copies a local one into the output.
  for (const name of [".env", ".env.production"]) rmSync(path.join(appDir, name), { force: true });
  // Root-owned and read-only to the server, as in the image (mkdtemp makes 0700 folders).
  chmodSync(workDir, 0o755);
}, 600_000);

afterAll(() => {
  if (figures.length > 0) {
    const rows = figures.map(
      ([name, value, target, met]) => `  ${name.padEnd(52)} ${value.padStart(9)}   ${target.padEnd(30)} ${met === undefined ? "" : met ? "met" : "NOT MET"}`,
    );
    console.log(`standalone server (what the image runs):\n${rows.join("\n")}`);
  }
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe("the image's files", () => {
  it("stand alone: no node_modules in any folder above, no link out of the folder", () => {
    for (let dir = workDir; ; dir = path.dirname(dir)) {
      expect(existsSync(path.join(dir, "node_modules")), dir).toBe(false);
      if (dir === path.dirname(dir)) break;
    }
    const outside: string[] = [];
    walk(appDir, (file, info) => {
      if (!info.isSymbolicLink()) return;
      const target = path.resolve(path.dirname(file), readlinkSync(file));
      if (!target.startsWith(`${appDir}${path.sep}`) || !existsSync(target)) outside.push(`${file} -> ${readlinkSync(file)}`);
    });
    expect(outside).toEqual([]);
  });

  it("hold no sources, no dev dependencies and no local configuration", () => {
    const sources: string[] = [];
    const browserAssets = imageFiles(DIST).find(({ from }) => from.endsWith("/static"))!.to;
    walk(appDir, (file) => {
      const relative = path.relative(appDir, file);
      // Browser assets are served as they are; the server's side must hold no source.
      if (relative.split(path.sep).includes("node_modules") || relative.startsWith(`${browserAssets}${path.sep}`)) return;
      if (/\.(tsx?|mts)$/.test(file) || /^\.env/.test(path.basename(file))) sources.push(relative);
    });
    expect(sources).toEqual([]);
    // Nor any data a developer's tree held when it was built (a local database, media, test runs' files).
    for (const top of ["tests", "app", "components", "lib", "scripts", "package-lock.json", "data", "test-results", "playwright-report"]) {
      expect(existsSync(path.join(appDir, top)), top).toBe(false);
    }
    const installed = readdirSync(path.join(appDir, "node_modules")).flatMap((name) =>
      name.startsWith("@") ? readdirSync(path.join(appDir, "node_modules", name)).map((sub) => `${name}/${sub}`) : [name],
    );
    expect(installed).toEqual(expect.arrayContaining(["next", "sharp", "better-sqlite3", "pg", "@ffmpeg-installer/ffmpeg"]));
    // Native parts the server loads or runs by path: the tracer must have found them.
    const platform = `${process.platform}-${process.arch}`;
    expect(lstatSync(path.join(appDir, "node_modules/@ffmpeg-installer", platform, "ffmpeg")).mode & 0o111).not.toBe(0);
    expect(existsSync(path.join(appDir, "node_modules/better-sqlite3/build/Release/better_sqlite3.node"))).toBe(true);
    expect(readdirSync(path.join(appDir, "node_modules/@img")).filter((name) => name.includes(platform))).not.toEqual([]);
    expect(installed.filter((name) => lockfile.packages[`node_modules/${name}`]?.dev === true)).toEqual([]);
  });

  it(`fit in ${TARGETS.sizeMB} MB`, () => {
    let bytes = 0;
    walk(appDir, (_file, info) => {
      if (info.isFile()) bytes += Number(info.size);
    });
    const megabytes = bytes / 1024 / 1024;
    figures.push(["standalone folder size", `${megabytes.toFixed(1)} MB`, `target ≤ ${TARGETS.sizeMB} MB`, megabytes <= TARGETS.sizeMB]);
    expect(megabytes).toBeLessThanOrEqual(TARGETS.sizeMB);
  });
});

interface RunningServer {
  url: string;
  port: number;
  child: ChildProcess;
  dataDir: string;
  /** From spawn to the first 200 from /api/health, and the RSS right then. */
  startMs: number;
  rssAfterStartMB: number;
  output(): string;
  stop(): Promise<void>;
}

/** Polls health every 10 ms until a 200; the time from `started`. */
async function timeToHealthy(child: ChildProcess, url: string, started: number, output: () => string): Promise<number> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited during start-up:\n${output()}`);
    const status = await fetch(`${url}/api/health`).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) return performance.now() - started;
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`the server was not healthy in 60 s:\n${output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The same figure for `next start` on the repository's normal build, measured in the same run. */
async function nextStartBaselineMs(): Promise<number> {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "portrait-live-image-data-"));
  const started = performance.now();
  const child = spawn(process.execPath, [path.join(ROOT, "node_modules/next/dist/bin/next"), "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: ROOT,
    env: { NODE_ENV: "production", PATH: process.env.PATH, NEXT_TELEMETRY_DISABLED: "1", DATA_DIR: dataDir },
    stdio: "ignore",
  });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  try {
    return await timeToHealthy(child, `http://127.0.0.1:${port}`, started, () => "");
  } finally {
    child.kill("SIGKILL");
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const rssMB = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? NaN) / 1024;
const uidOf = (pid: number) => Number(/Uid:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? NaN);

/** The image's CMD in the copied folder with the image's ENV (loopback and a spare port here). */
async function startStandalone(label: string, env: Record<string, string>): Promise<RunningServer> {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "portrait-live-image-data-"));
  if (runAs.uid !== undefined) chownSync(dataDir, runAs.uid, runAs.gid!);
  let output = "";
  const started = performance.now();
  const [command, ...args] = imageCommand;
  expect(command).toBe("node");
  const child = spawn(process.execPath, args, {
    cwd: appDir,
    ...runAs,
    env: {
      NODE_ENV: "production", // (the image's ENV sets it too; spelled out for the type)
      PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
      ...imageEnv,
      HOST: "127.0.0.1",
      PORT: String(port),
      DATA_DIR: dataDir,
      DEMO_DURATION_MS: "1500",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const startMs = await timeToHealthy(child, url, started, () => output);
  const rssAfterStartMB = rssMB(child.pid!);
  figures.push([`${label}: start to first healthy answer`, `${Math.round(startMs)} ms`, `target ≤ ${TARGETS.coldStartMs} ms`, startMs <= TARGETS.coldStartMs]);
  figures.push([`${label}: RSS after start`, `${rssAfterStartMB.toFixed(0)} MB`, `target ≤ ${TARGETS.rssMB} MB`, rssAfterStartMB <= TARGETS.rssMB]);
  return {
    url,
    port,
    child,
    dataDir,
    startMs,
    rssAfterStartMB,
    output: () => output,
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Runs the Dockerfile's HEALTHCHECK command as Docker would, inside the container's environment.
 * (Asynchronously: the S3 server answering the health check runs in this process.)
 */
async function runHealthcheck(port: number): Promise<number | null> {
  const [command, ...args] = healthcheckArgv(runStage);
  const check = spawn(command === "node" ? process.execPath : command!, args, {
    ...runAs,
    env: { NODE_ENV: "production", ...imageEnv, PORT: String(port) },
    stdio: "ignore",
    timeout: 20_000,
  });
  return new Promise((resolve) => check.once("exit", (code) => resolve(code)));
}

/** The whole flow a visitor goes through, over HTTP. */
async function demoGeneration(server: RunningServer) {
  expect(uidOf(server.child.pid!)).not.toBe(0);
  expect(await runHealthcheck(server.port)).toBe(0);

  // Pages, browser scripts (.next/static) and public files (the face detector's weights).
  const studio = await fetch(`${server.url}/`);
  expect(studio.status).toBe(200);
  const script = /<script[^>]+src="(\/_next\/static\/[^"]+\.js)"/.exec(await studio.text())?.[1];
  expect(script).toBeDefined();
  expect((await fetch(`${server.url}${script}`)).status).toBe(200);
  const weights = await fetch(`${server.url}/models/tiny_face_detector_model-weights_manifest.json`);
  expect(weights.status).toBe(200);
  expect(await weights.json()).toBeInstanceOf(Array);

  const created = await createGeneration(server.url, {
    image: toDataUrl(await makePortrait({ width: 600, height: 800 })),
    prompt: "she smiles and turns to the camera",
  });
  expect(created.mode).toBe("demo");
  const done = await waitForFinal(server.url, created.id, 90_000);
  expect(done.status, JSON.stringify(done.error)).toBe("succeeded");

  // The demo video is rendered by the ffmpeg binary traced into the output.
  const ranged = await fetch(`${server.url}${done.videoUrl}`, { headers: { Range: "bytes=0-1023" } });
  expect(ranged.status).toBe(206);
  expect(ranged.headers.get("content-range")).toMatch(/^bytes 0-1023\/\d+$/);
  const head = Buffer.from(await ranged.arrayBuffer());
  expect(head.length).toBe(1024);
  expect(head.subarray(4, 8).toString("latin1")).toBe("ftyp");

  const poster = await fetch(`${server.url}${done.inputUrl}`);
  expect(poster.status).toBe(200);
  expect(poster.headers.get("content-type")).toBe("image/jpeg");

  expect(done.shareUrl).toMatch(/^\/s\/[A-Za-z0-9_-]+$/);
  const share = await fetch(`${server.url}${done.shareUrl}`);
  expect(share.status).toBe(200);
  expect(await share.text()).toContain(`/api/share/${done.shareUrl!.split("/s/")[1]}/video`);

  // Nothing tried to write outside DATA_DIR, and nothing went wrong on the way.
  expect(server.output()).not.toMatch(/EACCES|EROFS|EPERM/);
  expect(server.output()).not.toMatch(/"level":(50|60)/);
  return done;
}

describe("the image's command on SQLite and the local folder", () => {
  let server: RunningServer;
  let baselineMs: number;
  beforeAll(async () => {
    baselineMs = await nextStartBaselineMs();
    server = await startStandalone("SQLite, local folder", {});
  });
  afterAll(async () => server?.stop());

  it(`starts within ${TARGETS.rssMB} MB of memory (start-up time is printed: it varies with the machine's load)`, () => {
    figures.push([
      "  baseline: `next start` of the normal build, same run",
      `${Math.round(baselineMs)} ms`,
      `ratio ${(server.startMs / baselineMs).toFixed(2)}×`,
      undefined,
    ]);
    expect(server.rssAfterStartMB).toBeLessThanOrEqual(TARGETS.rssMB);
    // Far above the target: only a server that hangs at start-up fails here.
    expect(server.startMs).toBeLessThan(30_000);
  });

  it("runs a whole demo generation as an unprivileged user", async () => {
    const health = healthSchema.parse(await (await fetch(`${server.url}/api/health`)).json());
    expect(health).toMatchObject({ ok: true, mode: "demo", store: { kind: "sqlite" }, media: { kind: "local" } });
    await demoGeneration(server);
    const videos = readdirSync(path.join(server.dataDir, "media", "videos"));
    expect(videos).toHaveLength(1);
    expect(lstatSync(path.join(server.dataDir, "portrait-live.sqlite")).uid).toBe(runAs.uid ?? process.getuid?.());
    figures.push(["SQLite, local folder: RSS after one generation", `${rssMB(server.child.pid!).toFixed(0)} MB`, "", undefined]);
  });

  it("stops on SIGTERM, and the health check then fails", async () => {
    const exited = new Promise<number | null>((resolve) => server.child.once("exit", (code) => resolve(code)));
    server.child.kill("SIGTERM");
    await exited;
    expect(await runHealthcheck(server.port)).not.toBe(0);
  });
});

describe("the image's command on PostgreSQL and S3", () => {
  let postgres: PostgresServer;
  let s3: S3Server;
  let server: RunningServer;
  beforeAll(async () => {
    [postgres, s3] = await Promise.all([startPostgres(), startS3Server()]);
    server = await startStandalone("PostgreSQL, S3", {
      DATABASE_URL: postgres.url,
      S3_BUCKET: s3.bucket,
      S3_ENDPOINT: s3.endpoint,
      S3_ACCESS_KEY_ID: s3.accessKeyId,
      S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
    });
  });
  afterAll(async () => {
    await server?.stop();
    await Promise.all([postgres?.stop(), s3?.stop()]);
  });

  it("runs a whole demo generation with no media on the server's disk", async () => {
    const health = healthSchema.parse(await (await fetch(`${server.url}/api/health`)).json());
    expect(health).toMatchObject({ ok: true, mode: "demo", store: { kind: "postgres" }, media: { kind: "s3" } });
    const done = await demoGeneration(server);
    const stored = s3
      .requests()
      .filter((request) => request.method === "PUT" || request.method === "POST")
      .map((request) => request.path);
    expect(stored.some((url) => url.includes(`videos/`))).toBe(true);
    // DATA_DIR keeps the instance's name and the demo provider's work folder: no database, no media.
    expect(readdirSync(server.dataDir).sort()).toEqual(["demo", "instance-id"]);
    expect(done.id).toBeTruthy();
  });
});

describe("the image's command runs the front door", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startStandalone("front door checks", { APP_PASSWORD: "standalone front door", LOGIN_ATTEMPTS_PER_15_MIN: "3" });
  });
  afterAll(async () => server?.stop());

  it("is the front door, not Next's own server.js", () => {
    expect(imageCommand).toEqual(["node", "server.mjs"]);
    expect(existsSync(path.join(appDir, "server.js"))).toBe(false);
  });

  it("refuses a host name it was not configured for with 421, and answers its address", async () => {
    const foreign = await rawRequest(`${server.url}/api/health`, { headers: { host: "rebind.example:80" } });
    expect(foreign.status).toBe(421);
    expect(foreign.text()).toContain("ALLOWED_HOSTS");
    expect((await rawRequest(`${server.url}/api/health`)).status).toBe(200);
  });

  it("answers TRACE and other unsupported methods with a clean 405 and Allow", async () => {
    const api = await rawRequest(`${server.url}/api/health`, { method: "TRACE" });
    expect(api.status).toBe(405);
    expect(api.headers.allow).toBe("GET, HEAD, OPTIONS");
    expect(api.json()).toEqual({ error: { code: "method_not_allowed", message: expect.any(String) } });
    const page = await rawRequest(`${server.url}/login`, { method: "PROPFIND" });
    expect(page.status).toBe(405);
    expect(page.headers.allow).toBe("GET, HEAD, OPTIONS");
    expect((await rawRequest(`${server.url}/login`, { method: "OPTIONS" })).status).toBe(204);
  });

  it("counts sign-in tries by the connection's address: a forged X-Forwarded-For is ignored without TRUSTED_PROXIES", async () => {
    const signIn = (from: string, forwardedFor?: string) =>
      rawRequest(`${server.url}/api/session`, {
        method: "POST",
        from,
        headers: { "content-type": "application/json", ...(forwardedFor ? { "x-forwarded-for": forwardedFor } : {}) },
        body: JSON.stringify({ password: "guess" }),
      });
    // A new forged address each time does not buy a fresh allowance…
    for (let attempt = 0; attempt < 3; attempt++) expect((await signIn("127.0.0.7", `203.0.113.${attempt + 1}`)).status).toBe(401);
    expect((await signIn("127.0.0.7", "203.0.113.99")).status).toBe(429);
    // …while another connection address has its own, whatever it claims to forward for.
    expect((await signIn("127.0.0.8", "127.0.0.7")).status).toBe(401);
    expect(server.output()).not.toMatch(/"level":(50|60)/);
  });
});
