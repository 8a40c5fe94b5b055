import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  resolve: { alias: { "@": root, "server-only": `${root}tests/support/server-only-noop.ts` } },
  test: {
    projects: [
      {
        extends: true,
        test: { name: "unit", include: ["tests/unit/**/*.test.ts"], environment: "node" },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts", "tests/fake-upstream/**/*.test.ts"],
          environment: "node",
          globalSetup: ["tests/support/ensure-build.ts"],
          // The log sink: fail a test on any 5xx answer or error-level server log line.
          setupFiles: ["tests/support/fail-on-server-errors.ts"],
          testTimeout: 60_000,
          hookTimeout: 180_000,
          // Integration suites start real servers; keep them from competing for 2 cores.
          fileParallelism: false,
        },
      },
    ],
  },
});
