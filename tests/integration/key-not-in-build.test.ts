import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const DIST = ".next-key-check";
const API_KEY = "vtx-build-time-secret-4c19e8d2";

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? filesUnder(file) : [file];
  });
}

afterAll(() => rmSync(path.join(ROOT, DIST), { recursive: true, force: true }));

describe("the API key at build time", () => {
  it("is compiled into nothing the build emits", { timeout: 240_000 }, () => {
    const build = spawnSync(process.execPath, [path.join(ROOT, "node_modules/next/dist/bin/next"), "build"], {
      cwd: ROOT,
      env: { ...process.env, NEXT_DIST_DIR: DIST, VTRIX_API_KEY: API_KEY, NEXT_TELEMETRY_DISABLED: "1" },
      encoding: "utf8",
    });
    expect(build.status, build.stderr).toBe(0);
    expect(`${build.stdout}${build.stderr}`).not.toContain(API_KEY);
    const emitted = filesUnder(path.join(ROOT, DIST)).filter((file) => !file.includes(`${path.sep}cache${path.sep}`));
    const staticFiles = emitted.filter((file) => file.includes(`${DIST}${path.sep}static${path.sep}`));
    expect(staticFiles.length).toBeGreaterThan(5);
    const leaking = emitted.filter((file) => readFileSync(file).includes(API_KEY));
    expect(leaking).toEqual([]);
  });
});
