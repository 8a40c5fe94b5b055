import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";

/** Integration tests run the real built server; build once if no build exists. */
export default function ensureBuild() {
  const root = path.resolve(import.meta.dirname, "../..");
  const distDir = path.join(root, process.env.NEXT_DIST_DIR || ".next");
  if (existsSync(path.join(distDir, "BUILD_ID"))) return;
  const result = spawnSync(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "build"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0) throw new Error("next build failed");
}
