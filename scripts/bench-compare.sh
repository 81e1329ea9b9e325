#!/usr/bin/env bash
# Before/after of one change, side by side in one run (docs/benchmarks.md): for each binary, its
# size, start -> /healthz and idle RSS (scripts/bench-startup.py), and the pipeline figures with
# 10k collected ConfigMaps and 100 change -> NATS latencies (scripts/bench-pipeline.py). The two
# binaries are measured one after the other on the same machine within minutes, so they see
# about the same load; the load average is printed at each step.
#
#   scripts/bench-compare.sh BEFORE_BINARY AFTER_BINARY [--quick]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
[ $# -ge 2 ] || { echo "usage: $0 BEFORE_BINARY AFTER_BINARY [--quick]" >&2; exit 2; }
before=$1; after=$2
if [ "${3:-}" = --quick ]; then
  startup=(--runs 5 --idle-runs 1 --idle-seconds 3); pipeline=(--sizes 1000 --latency-runs 20 --rss-samples 2 --settle-seconds 2)
else
  startup=(--runs 20 --idle-runs 3 --idle-seconds 5); pipeline=(--sizes 10000 --latency-runs 100 --rss-samples 5 --settle-seconds 5)
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/kollect-bench-compare.XXXXXX")
export KOLLECT_LOCAL_APISERVER_DIR="$work/apiserver"
cleanup() {
  "$root/scripts/local-apiserver.sh" stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "## Before/after — $(date -u '+%Y-%m-%d %H:%M UTC')"
echo
echo "* Machine: $(nproc) CPUs ($(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')), $(awk '/^MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo) RAM, $(uname -sr)"
for label in before after; do
  binary=${!label}
  echo
  echo "### $label: \`$binary\` ($(stat -c %s "$binary") B)"
  echo
  echo "* Load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  kubeconfig=$("$root/scripts/local-apiserver.sh" start --with-crds | tail -n 1)
  python3 "$root/scripts/bench-startup.py" "$binary" "$kubeconfig" "${startup[@]}" >"$work/run.txt"
  "$root/scripts/local-apiserver.sh" stop >/dev/null
  echo "* bench-startup.py: $(tr '\n' ';' <"$work/run.txt")"
  echo
  python3 "$root/scripts/bench-pipeline.py" "$binary" "${pipeline[@]}" --log-dir "$root/artifacts/logs/compare-$label"
done
echo
echo "* Load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
