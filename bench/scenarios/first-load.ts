import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { gzipSync } from "node:zlib";
import type { Figure } from "../report";
import { freePort, newDataDir } from "../support/app-server";

const ROOT = path.resolve(import.meta.dirname, "../..");

/**
 * Time from starting the server (with a build present) to the studio answering 200: through
 * `npm start` (which first checks that the build is current), or `next start` directly.
 */
async function startToFirst200(via: "npm start" | "next start"): Promise<{ ms: number; url: string; stop(): void }> {
  const port = await freePort();
  const started = performance.now();
  const command =
    via === "npm start" ? [path.join(ROOT, "scripts/start.mjs")] : [path.join(ROOT, "node_modules/next/dist/bin/next"), "start", "-p", String(port)];
  const child = spawn(process.execPath, command, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", NODE_ENV: "production", PORT: String(port), DATA_DIR: newDataDir(), LOG_LEVEL: "warn", NEXT_TELEMETRY_DISABLED: "1" },
    stdio: "ignore",
  });
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    try {
      if ((await fetch(`${url}/`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (performance.now() - started > 60_000) throw new Error("npm start did not answer within 60 s");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return { ms: performance.now() - started, url, stop: () => child.kill("SIGTERM") };
}

/**
 * Every script the studio page loads on first visit, gzipped, read from the build output.
 * `noModule` scripts (Next's legacy polyfills) are left out: browsers with ES modules, all
 * that can run the studio, never fetch them.
 */
async function firstLoadGzipBytes(pageUrl: string): Promise<number> {
  const html = await (await fetch(pageUrl)).text();
  const scripts = [...html.matchAll(/<script([^>]*)>/g)]
    .filter((match) => !/\snomodule\b/i.test(match[1] ?? ""))
    .map((match) => /\ssrc="(\/_next\/static\/[^"]+\.js)"/.exec(match[1] ?? "")?.[1])
    .filter((src): src is string => src !== undefined);
  const distDir = path.join(ROOT, process.env.NEXT_DIST_DIR || ".next");
  let total = 0;
  for (const src of new Set(scripts)) {
    const file = path.join(distDir, decodeURIComponent(src.replace(/^\/_next\//, "")));
    total += gzipSync(await readFile(file), { level: 9 }).length;
  }
  return total;
}

/** P6: studio first-load JS and start-up time. */
export async function measureFirstLoad(): Promise<Figure[]> {
  const bare = await startToFirst200("next start");
  bare.stop();
  const server = await startToFirst200("npm start");
  try {
    const gzipKB = (await firstLoadGzipBytes(`${server.url}/`)) / 1024;
    // The same layout (header, providers) without the studio: what the framework and shell cost.
    const shellKB = (await firstLoadGzipBytes(`${server.url}/s/${"x".repeat(24)}`)) / 1024;
    return [
      {
        id: "P6",
        what: "studio first-load JS (gzip; noModule polyfills not fetched by module browsers excluded)",
        value: gzipKB,
        unit: "KB",
        baseline: shellKB,
        baselineWhat: "a page with the same layout, no studio (404)",
        target: "≤ 200 KB",
        met: gzipKB <= 200,
      },
      {
        id: "P6",
        what: "`npm start` (built) to first 200",
        value: server.ms,
        unit: "ms",
        baseline: bare.ms,
        baselineWhat: "`next start` directly, no build check",
        target: "≤ 1500 ms",
        met: server.ms <= 1500,
      },
    ];
  } finally {
    server.stop();
  }
}
