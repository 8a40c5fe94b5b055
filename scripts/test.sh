#!/usr/bin/env bash
# `npm test`: checks for (as root: installs) what npm cannot install (Debian's Chromium, PostgreSQL
# and nginx), lints, checks formatting, runs the unit tests, builds once (the build type-checks the whole project), then runs
# integration and browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1

bash scripts/install-system-deps.sh

echo "== lint (ESLint, no warnings allowed)"
npx eslint . --max-warnings=0

echo "== formatting (Prettier; npm run format fixes it)"
npx prettier --check . --log-level warn

echo "== unit tests"
npx vitest run --project unit

echo "== build"
npx next build

echo "== integration tests (real HTTP server, fake upstream, real SQLite file, PostgreSQL and S3-protocol servers, nginx)"
npx vitest run --project integration

echo "== browser tests (Playwright in Debian's Chromium)"
npx playwright test
