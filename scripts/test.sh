#!/usr/bin/env bash
# `npm test`: installs what npm cannot (Debian's Chromium and PostgreSQL), builds once, then runs
# unit, integration and browser tests. (The build type-checks the whole project.)
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1

bash scripts/install-system-deps.sh

echo "== unit tests"
npx vitest run --project unit

echo "== build"
npx next build

echo "== integration tests (real HTTP server, fake upstream, real SQLite file, PostgreSQL and S3-protocol servers)"
npx vitest run --project integration

echo "== browser tests (Playwright in Debian's Chromium)"
npx playwright test
