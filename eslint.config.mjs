// ESLint (flat config): ESLint's recommended rules, Next's rules (core web vitals; TypeScript through
// typescript-eslint's recommended set), the React hooks rules, and eslint-config-prettier last so
// formatting is Prettier's alone. `npm run lint` allows no warnings.
import js from "@eslint/js";
import { defineConfig, globalIgnores } from "eslint/config";
import prettier from "eslint-config-prettier/flat";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";
import reactHooks from "eslint-plugin-react-hooks";

export default defineConfig([
  globalIgnores([
    ".next*/**",
    "out/**",
    "build/**",
    "data/**",
    "next-env.d.ts",
    "public/**",
    "bench/results/**",
    "test-results/**",
    "playwright-report/**",
    "scratch/**",
    "tmp/**",
  ]),
  js.configs.recommended,
  ...nextVitals,
  ...nextTypescript,
  {
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      "@typescript-eslint/no-unused-expressions": "error",
    },
  },
  {
    // esbuild defines this name when it bundles the server into the standalone folder.
    files: ["scripts/server.mjs"],
    languageOptions: { globals: { __STANDALONE_DIST_DIR__: "readonly" } },
  },
  {
    // Playwright fixtures hand their value to `use`, which is not React's hook.
    files: ["tests/e2e/**"],
    rules: { "react-hooks/rules-of-hooks": "off" },
  },
  prettier,
]);
