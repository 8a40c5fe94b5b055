import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");

describe("server modules", () => {
  it("every store repository (database I/O) is marked server-only, so no client bundle can pull one in", () => {
    const repositories = readdirSync(path.join(ROOT, "lib/store")).filter((name) => /^kysely-.*-repository\.ts$/.test(name));
    expect(repositories.length).toBeGreaterThanOrEqual(4);
    const unmarked = repositories.filter((name) => !/^import "server-only";$/m.test(readFileSync(path.join(ROOT, "lib/store", name), "utf8")));
    expect(unmarked).toEqual([]);
  });
});
