#!/usr/bin/env bash
# npm test: installs what is missing, builds, runs typecheck + lint, starts what the suites
# need (local Kafka broker, PostgreSQL) unless KAFKA_BROKERS / DATABASE_URL are set, runs
# every tier (unit, int, e2e, then the chaos tier that stops and restarts infrastructure,
# alone), and ends with one line "N passed, N failed".
set -uo pipefail
LOG_TAG=test
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
source "$REPO_ROOT/scripts/lib/node.sh"
cd "$REPO_ROOT"
set -e
ensure_node
ensure_deps
ensure_build
mkdir -p .artifacts
set +e

# The dashboard test drives Debian's Chromium headless (playwright-core, no browser download).
if [ -z "${CHROMIUM_PATH:-}" ] && ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "installing Debian's chromium for the dashboard test"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
      || log "could not install chromium; the dashboard test will fail and say so"
  else
    log "chromium is missing (install it, or set CHROMIUM_PATH); the dashboard test will fail and say so"
  fi
fi

if ! npm run --silent check; then
  echo "typecheck or lint failed"
  echo "0 passed, 1 failed"
  exit 1
fi

started_kafka=0
docker_ok() { command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; }
if [ -z "${KAFKA_BROKERS:-}" ] && ! docker_ok; then
  if ! bash infra/kafka/kafka.sh status >/dev/null 2>&1; then started_kafka=1; fi
  bash infra/kafka/kafka.sh start || { echo "0 passed, 1 failed"; exit 1; }
fi
if [ "$started_kafka" = 1 ] && [ -z "${KEEP_KAFKA:-}" ]; then
  trap 'bash infra/kafka/kafka.sh stop >/dev/null 2>&1' EXIT
fi

rm -f .artifacts/jest-*.json
npx jest --selectProjects unit int e2e --forceExit --json --outputFile=.artifacts/jest-main.json
main_rc=$?
npx jest --selectProjects chaos --runInBand --forceExit --passWithNoTests --json --outputFile=.artifacts/jest-chaos.json
chaos_rc=$?

node -e '
const fs = require("node:fs");
let passed = 0, failed = 0, missing = 0;
for (const f of [".artifacts/jest-main.json", ".artifacts/jest-chaos.json"]) {
  if (!fs.existsSync(f)) { missing++; continue; }
  const r = JSON.parse(fs.readFileSync(f, "utf8"));
  passed += r.numPassedTests;
  failed += r.numFailedTests + (r.numRuntimeErrorTestSuites || 0);
}
if (missing) failed += missing;
console.log(`${passed} passed, ${failed} failed`);
'
[ "$main_rc" = 0 ] && [ "$chaos_rc" = 0 ]
