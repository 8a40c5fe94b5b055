#!/usr/bin/env node
// `npm start`: builds when there is no build or the sources are newer than it, then serves.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import nextEnv from "@next/env";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const distDir = path.join(root, process.env.NEXT_DIST_DIR || ".next");
const buildId = path.join(distDir, "BUILD_ID");
const sources = ["app", "components", "lib", "public", "next.config.ts", "tailwind.config.ts", "package-lock.json", "instrumentation.ts"];
const next = path.join(root, "node_modules", ".bin", "next");
process.env.NEXT_TELEMETRY_DISABLED ??= "1";
// .env as Next.js reads it (variables already set win), so PORT and HOST may come from it too.
nextEnv.loadEnvConfig(root, false, { info: () => {}, error: console.error });

function newestMtime(entry) {
  if (!existsSync(entry)) return 0;
  const info = statSync(entry);
  if (!info.isDirectory()) return info.mtimeMs;
  return readdirSync(entry).reduce((newest, name) => Math.max(newest, newestMtime(path.join(entry, name))), info.mtimeMs);
}

function needsBuild() {
  if (!existsSync(buildId)) return true;
  const builtAt = statSync(buildId).mtimeMs;
  return sources.some((source) => newestMtime(path.join(root, source)) > builtAt);
}

if (needsBuild()) {
  console.log("Building Portrait Live (first start or sources changed)…");
  const build = spawnSync(next, ["build"], { cwd: root, stdio: "inherit" });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

// Served in this process by the front-door server (PORT, HOST; see scripts/server.mjs).
await import("./server.mjs");
