#!/usr/bin/env bash
# Builds everything and runs every test that can run on this machine:
#   tests/unit         pure logic, generator and CRD contract tests
#   tests/integration  components against real servers (nats-server, librdkafka mock broker,
#                      the test API server driven by kubectl)
#   tests/e2e          the published NativeAOT binary in its own process (published first), and
#                      the RBAC e2e with the operator run from the image (scripts/image.sh first)
#   scripts/e2e-kind.sh  the same scenarios on a kind cluster where Docker and kind exist (else it
#                      says why it is skipped)
# Prints one summary line at the end: "tests: N passed, N failed, N skipped".
#
# Environment:
#   KOLLECT_TEST_FILTER   a `dotnet test --filter` expression applied to every suite
#   KOLLECT_SKIP_SLOW=1   leave out tests marked [Trait("Category","Slow")] (real `dotnet build` runs)
#   KOLLECT_BIN           an already published kollect binary for tests/e2e (skips the publish)
#   KOLLECT_FAULTS=full   longer variants of the fault suite in tests/e2e/Faults (30 s outages; default ~6-14 s)
#   KOLLECT_IMAGE         an already built image in buildah's storage for the RBAC e2e (skips scripts/image.sh)
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
results="$root/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

filter=${KOLLECT_TEST_FILTER:-}
if [ "${KOLLECT_SKIP_SLOW:-0}" = "1" ]; then
  filter=${filter:+($filter)&}"Category!=Slow"
fi

echo "test: building the solution"
if ! dotnet build Kollect.Aot.sln -c Release -nologo -v quiet; then
  echo "test: build failed"
  echo "tests: 0 passed, 1 failed, 0 skipped"
  exit 1
fi

status=0
run_suite() {
  local name=$1 project=$2
  echo "test: running $name"
  local args=(test "$project" -c Release --no-build -nologo --results-directory "$results"
              --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal")
  [ -n "$filter" ] && args+=(--filter "$filter")
  dotnet "${args[@]}" >"$results/$name.log" 2>&1 || status=1
  # Failed tests and the runner's own summary, so the reason is visible without opening the log.
  grep -E '^\s+(Failed|Skipped) |^(Passed|Failed)!|error (CS|MSB|NU|NETSDK)[0-9]+' "$results/$name.log" | head -n 60 || true
}

# The AOT binary is published first so that every suite that starts `kollect` as a process
# (the operator process tests in tests/integration, all of tests/e2e) runs the published binary.
bin=${KOLLECT_BIN:-}
if [ -z "$bin" ]; then
  echo "test: publishing the NativeAOT binary"
  if bin=$(scripts/publish-aot.sh | tail -n 1) && [ -x "$bin" ]; then :; else
    echo "test: AOT publish failed; tests/e2e cannot run"
    bin=""
    status=1
  fi
fi
export KOLLECT_BIN="$bin"

# The RBAC e2e (tests/e2e/Deploy) runs the operator from the image with buildah; without buildah it
# runs the binary and says so. The image is built from the binary just published.
image=${KOLLECT_IMAGE:-}
if [ -z "$image" ] && [ -n "$bin" ] && command -v buildah >/dev/null; then
  echo "test: building the image (scripts/image.sh)"
  if image=$(KOLLECT_IMAGE_BUILDER=buildah KOLLECT_PUBLISH_DIR=$(dirname "$bin") scripts/image.sh 2>"$results/image.log" | tail -n 1) && [ -n "$image" ]; then
    grep -E '^image: (size|building|  librdkafka)' "$results/image.log" || true
  else
    cat "$results/image.log"
    echo "test: scripts/image.sh failed; the RBAC e2e will say why too"
    image=""
    status=1
  fi
fi
if [ -n "$image" ]; then
  export KOLLECT_IMAGE="$image"
  echo "test: the RBAC e2e runs the operator from image $image (buildah chroot)"
else
  unset KOLLECT_IMAGE
  command -v buildah >/dev/null || echo "test: buildah is not installed: the RBAC e2e runs the operator from the binary, not the image"
fi

run_suite unit tests/unit/Kollect.Tests.Unit.csproj
run_suite integration tests/integration/Kollect.Tests.Integration.csproj
if [ -n "$bin" ]; then
  run_suite e2e tests/e2e/Kollect.Tests.E2e.csproj
fi
echo "test: running scripts/e2e-kind.sh"
KOLLECT_TEST_RESULTS="$results" scripts/e2e-kind.sh || status=1

# Sum the TRX counters of all suites (xunit's skipped tests are "notExecuted").
sum() { grep -ho "$1=\"[0-9]*\"" "$results"/*.trx 2>/dev/null | grep -o '[0-9]*' | awk '{s+=$1} END {print s+0}'; }
passed=$(sum passed)
failed=$(( $(sum failed) + $(sum error) + $(sum timeout) + $(sum aborted) ))
skipped=$(sum notExecuted)
suites=$(ls "$results"/*.trx 2>/dev/null | wc -l)
if [ "$suites" -lt 3 ] && [ -z "${KOLLECT_TEST_FILTER:-}" ]; then
  echo "test: only $suites of 3 suites produced results (logs in $results)"
  status=1
fi
[ "$failed" -gt 0 ] && status=1
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit $status
