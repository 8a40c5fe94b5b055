#!/usr/bin/env node
// The image's build (Dockerfile and tests/integration/standalone.test.ts): `next build` with
// standalone output, then
// - the front door (scripts/server.mjs with the modules it imports) is bundled into the
//   folder as server.mjs, and Next's own server.js, which would skip its checks, is removed;
// - what the tracer copied but the server never runs is dropped: source files beside the
//   bundle (a safety net: Turbopack copies the folder of a module that opens files by a
//   computed path, which the build's warnings name and `turbopackIgnore` comments prevent),
//   data folders a developer's tree may hold (a local database and media, test runs' files),
//   and packages only dev dependencies need (npm's `dev: true`), which a production install
//   would not have (the tracer follows thread-stream's own tests to why-is-node-running).
// `npm start` never uses this: it serves a normal build.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, rmSync, rmdirSync } from "node:fs";
import path from "node:path";
import { build as bundle } from "esbuild";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const distDir = process.env.NEXT_DIST_DIR || ".next";
const next = path.join(root, "node_modules", "next", "dist", "bin", "next");

const nextBuild = spawnSync(process.execPath, [next, "build"], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, NEXT_OUTPUT: "standalone", NEXT_TELEMETRY_DISABLED: "1" },
});
if (nextBuild.status !== 0) process.exit(nextBuild.status ?? 1);

const SOURCE = /\.(ts|tsx|mts|cts)$/;
const standalone = path.join(root, distDir, "standalone");
const removed = [];

/** Removes sources outside node_modules (links are left alone); true when the folder ends up empty. */
function prune(dir) {
  let left = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== "node_modules") {
      if (prune(file)) rmdirSync(file);
      else left += 1;
    } else if (entry.isFile() && SOURCE.test(entry.name) && !entry.name.endsWith(".d.ts")) {
      rmSync(file);
      removed.push(path.relative(standalone, file));
    } else {
      left += 1;
    }
  }
  return left === 0;
}

prune(standalone);

// The tracer cannot know where DATA_DIR points at run time and copies data files it finds
// beside the sources (a local database, media, a test run's files). The image's build context
// never has these folders (.dockerignore); a developer's tree may, and none belongs in a server.
for (const folder of ["data", "test-results", "playwright-report"]) {
  if (!existsSync(path.join(standalone, folder))) continue;
  rmSync(path.join(standalone, folder), { recursive: true });
  removed.push(`${folder}/`);
}

const lock = JSON.parse(readFileSync(path.join(root, "package-lock.json"), "utf8"));
for (const [key, info] of Object.entries(lock.packages)) {
  if (!info.dev || !key.startsWith("node_modules/") || !existsSync(path.join(standalone, key))) continue;
  rmSync(path.join(standalone, key), { recursive: true });
  removed.push(key);
}
if (removed.length > 0) console.log(`Dropped what the server never runs: ${removed.join(", ")}`);

// The front door, as the image runs it (`node server.mjs`). Next stays outside the bundle:
// it is the traced copy in the folder's node_modules. The front door's own packages
// (proxy-addr, ipaddr.js) are bundled, as the app's server bundle does with them.
rmSync(path.join(standalone, "server.js"));
await bundle({
  entryPoints: [path.join(root, "scripts/server.mjs")],
  outfile: path.join(standalone, "server.mjs"),
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  external: ["next"],
  // Tells the script it runs in the standalone folder, and which dist folder the build wrote.
  define: { __STANDALONE_DIST_DIR__: JSON.stringify(distDir) },
  logLevel: "warning",
});
