#!/usr/bin/env bash
# Runs setup, builds, then every test: unit tests, and integration tests against the real redis-server and the real
# Docker engine (issue #2). Extra arguments go to `dotnet test` (e.g. --filter FullyQualifiedName~Redis).
# The last line is the plain summary: "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."
# As root (Debian's root has no sudo), or through sudo where it exists: setup installs packages and the engine is root's.
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "test: run it as root (there is no sudo here)" >&2; exit 1; }
  exec sudo --preserve-env=DOCKER_HOST,REDIS_URL,CI "$0" "$@"
fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

summary_fail() { echo "$1" >&2; echo "0 passed, 1 failed"; exit 1; }

utils/setup.sh || summary_fail "test: setup failed"
dotnet build Correctomatic.sln -c Release -v q -nologo || summary_fail "test: build failed"

# Testcontainers on this engine (issue #12): images are local (never pulled), so Ryuk (whose image would be pulled)
# is off and the tests remove their own containers; the engine speaks API 1.41, below Testcontainers' default 1.44.
# Every test container carries correctomatic.test-run=$CORRECTOMATIC_TEST_RUN; after the run, only those are swept
# (a crashed test process leaves none behind), never another run's.
export TESTCONTAINERS_RYUK_DISABLED=true DOCKER_API_VERSION=${DOCKER_API_VERSION:-1.41}
export CORRECTOMATIC_TEST_RUN=${CORRECTOMATIC_TEST_RUN:-$(date +%s)-$$-$RANDOM}
sweep_test_containers() {
  local ids; ids=$(docker ps -aq --filter "label=correctomatic.test-run=$CORRECTOMATIC_TEST_RUN" 2>/dev/null || true)
  [ -z "$ids" ] || docker rm -f -v $ids >/dev/null 2>&1 || true
}
trap sweep_test_containers EXIT

results=$(mktemp -d)
status=0
for project in tests/Correctomatic.Tests.Unit tests/Correctomatic.Tests.Integration; do
  name=$(basename "$project")
  echo "test: running $name"
  # A hung test fails (and dumps) instead of eating CI's 90 minutes.
  dotnet test "$project" -c Release --no-build --nologo \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" \
    --results-directory "$results" --blame-hang-timeout 10m "$@" || status=1
done

passed=0 failed=0 skipped=0 found=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  found=1
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  attr() { printf '%s' "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  passed=$((passed + $(attr passed)))
  failed=$((failed + $(attr failed) + $(attr error) + $(attr timeout) + $(attr aborted)))
  skipped=$((skipped + $(attr notExecuted)))
done
[ $found = 1 ] || { echo "test: no test results were written" >&2; status=1; failed=$((failed + 1)); }
# The failed tests' names, repeated at the end where a log's tail shows them (the runner printed them far above).
failures=()
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  while IFS= read -r name; do failures+=("$name"); done < <(grep -o '<UnitTestResult [^>]*>' "$trx" \
    | grep -E 'outcome="(Failed|Error|Timeout|Aborted)"' | grep -o 'testName="[^"]*"' | sed 's/^testName="//; s/"$//')
done
# The compose deployment end to end (issue #16): one more test in the summary. Skipped only with SKIP_COMPOSE_DEMO=1 outside CI.
if [ "${SKIP_COMPOSE_DEMO:-}" = 1 ] && [ "${CI:-}" != true ]; then
  skipped=$((skipped + 1))
else
  echo "test: running utils/compose-demo.sh"
  if utils/compose-demo.sh; then passed=$((passed + 1)); else failed=$((failed + 1)); status=1; failures+=(utils/compose-demo.sh); fi
fi
# The fault-injection run (issue #15): one more test in the summary. Skipped only with SKIP_CHAOS=1 outside CI.
if [ "${SKIP_CHAOS:-}" = 1 ] && [ "${CI:-}" != true ]; then
  skipped=$((skipped + 1))
else
  echo "test: running utils/chaos.sh"
  if utils/chaos.sh; then passed=$((passed + 1)); else failed=$((failed + 1)); status=1; failures+=(utils/chaos.sh); fi
fi
[ $status = 0 ] || [ $failed -gt 0 ] || failed=1   # a runner that crashed counts as a failure
rm -rf "$results"
for name in "${failures[@]}"; do echo "test: FAILED $name"; done
echo "$passed passed, $failed failed, $skipped skipped"
[ $status = 0 ] && [ $failed = 0 ]
