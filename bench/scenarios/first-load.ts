import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { gzipSync } from "node:zlib";
import type { Figure } from "../report";
import { freePort, newDataDir } from "../../tests/support/app-server";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** Time from `npm start` (with a build present) to the studio answering 200. */
async function startToFirst200(): Promise<{ ms: number; url: string; stop(): void }> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [path.join(ROOT, "scripts/start.mjs")], {
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

/** Every script the studio page loads on first visit, gzipped, read from the build output. */
async function studioFirstLoadGzipBytes(url: string): Promise<number> {
  const html = await (await fetch(`${url}/`)).text();
  const scripts = [...html.matchAll(/<script[^>]+src="(\/_next\/static\/[^"]+\.js)"/g)].map((match) => match[1] ?? "");
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
  const server = await startToFirst200();
  try {
    const gzipKB = (await studioFirstLoadGzipBytes(server.url)) / 1024;
    return [
      {
        id: "P6",
        what: "studio first-load JS (gzip)",
        value: gzipKB,
        unit: "KB",
        baseline: 0,
        baselineWhat: "none",
        target: "≤ 200 KB",
        met: gzipKB <= 200,
      },
      {
        id: "P6",
        what: "`npm start` (built) to first 200",
        value: server.ms,
        unit: "ms",
        baseline: 0,
        baselineWhat: "none",
        target: "≤ 1500 ms",
        met: server.ms <= 1500,
      },
    ];
  } finally {
    server.stop();
  }
}
