#!/usr/bin/env bash
# Measures the SPEC §10 budgets that can be measured today and prints a Markdown report:
# AOT binary size, `kollect version` wall time and peak RSS, start -> /healthz 200 and idle RSS
# of `kollect run` against the test API server, and the export micro-benchmarks
# (tests/bench), and the pipeline figures (scripts/bench-pipeline.py): RSS of `kollect run` with 10k
# and 100k collected ConfigMaps, and object change -> NATS delivery latency with interval 0; and the
# database sink's export of 10k rows in one transaction to a local PostgreSQL (scripts/local-postgres.sh).
# Benchmarks are this script, never timed tests (SPEC §10).
#
#   scripts/bench.sh           full run (20 start-ups, 30 iterations per micro-benchmark)
#   scripts/bench.sh --quick   short run (5 start-ups, 8 iterations; pipeline with 1k objects, 20 changes)
#
# The machine may be shared, so the load average is printed with the figures and every figure
# is a median over repetitions. Everything started here is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

quick=false
case "${1:-}" in
  "") ;;
  --quick) quick=true ;;
  *) echo "usage: $0 [--quick]" >&2; exit 2 ;;
esac
if $quick; then
  version_runs=5; startup_runs=5; idle_runs=1; idle_seconds=3; bench_iterations=8
  pipeline_args=(--sizes 1000 --latency-runs 20 --rss-samples 2 --settle-seconds 2)
else
  version_runs=20; startup_runs=20; idle_runs=3; idle_seconds=5; bench_iterations=30
  pipeline_args=(--sizes 10000,100000 --latency-runs 100 --rss-samples 5 --settle-seconds 5)
fi

log_dir="$root/artifacts/logs"
mkdir -p "$log_dir"
work=$(mktemp -d "${TMPDIR:-/tmp}/kollect-bench.XXXXXX")
# A private API server state dir, so that a developer's or another run's server is left alone.
export KOLLECT_LOCAL_APISERVER_DIR="$work/apiserver"
export KOLLECT_LOCAL_POSTGRES_DIR="$work/postgres"
# As root PostgreSQL runs as the postgres user, which must be able to enter the work dir.
chmod 711 "$work"
cleanup() {
  "$root/scripts/local-apiserver.sh" stop >/dev/null 2>&1 || true
  "$root/scripts/local-postgres.sh" stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
cpu_model=$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
mem_total=$(awk '/^MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)

echo "bench: publishing the AOT binary (scripts/publish-aot.sh)" >&2
binary=$("$root/scripts/publish-aot.sh" | tail -n 1)
size=$(stat -c %s "$binary")

echo "bench: kollect version x$version_runs" >&2
version_ms=(); version_kib=()
for _ in $(seq "$version_runs"); do
  t0=$(date +%s%N)
  /usr/bin/time -v "$binary" version >/dev/null 2>"$work/time.txt"
  t1=$(date +%s%N)
  version_ms+=("$(( (t1 - t0) / 1000 ))")
  version_kib+=("$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")")
done
# Median of a list of integers.
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
version_median_ms=$(awk -v us="$(median "${version_ms[@]}")" 'BEGIN {printf "%.1f", us/1000}')
version_rss_mib=$(awk -v k="$(median "${version_kib[@]}")" 'BEGIN {printf "%.1f", k/1024}')

echo "bench: starting the test API server" >&2
kubeconfig=$("$root/scripts/local-apiserver.sh" start --with-crds | tail -n 1)

echo "bench: kollect run start -> /healthz x$startup_runs, idle RSS x$idle_runs" >&2
python3 "$root/scripts/bench-startup.py" "$binary" "$kubeconfig" \
  --runs "$startup_runs" --idle-runs "$idle_runs" --idle-seconds "$idle_seconds" >"$work/run.txt"
read -r _ startup_median startup_p95 startup_min startup_max startup_n < <(grep '^startup_ms' "$work/run.txt")
read -r _ ready_median _ < <(grep '^ready_ms' "$work/run.txt")
read -r _ rss_median rss_min rss_max rss_n < <(grep '^idle_rss_mib' "$work/run.txt")
read -r _ hwm_median _ _ _ < <(grep '^idle_hwm_mib' "$work/run.txt")
"$root/scripts/local-apiserver.sh" stop >/dev/null

# The micro-benchmarks run as NativeAOT, like the operator, when that publish works; otherwise JIT
# in Release, and the output says which.
echo "bench: building the export micro-benchmarks (tests/bench)" >&2
bench_out="$root/artifacts/bench/aot"
if dotnet publish tests/bench/Kollect.Bench.csproj -c Release -r linux-x64 -p:PublishAot=true \
     -p:IlcTreatWarningsAsErrors=false -o "$bench_out" -nologo \
     >"$log_dir/bench-publish.log" 2>&1; then
  bench_cmd=("$bench_out/kollect-bench")
else
  echo "bench: NativeAOT publish of tests/bench failed (see $log_dir/bench-publish.log); using JIT in Release" >&2
  dotnet build tests/bench/Kollect.Bench.csproj -c Release -nologo >"$log_dir/bench-build.log" 2>&1 \
    || { tail -n 20 "$log_dir/bench-build.log" >&2; exit 1; }
  bench_cmd=(dotnet "$root/tests/bench/bin/Release/$(dotnet msbuild tests/bench/Kollect.Bench.csproj -getProperty:TargetFramework)/kollect-bench.dll")
fi
echo "bench: running the export micro-benchmarks" >&2
"${bench_cmd[@]}" --rows 10000 --iterations "$bench_iterations" >"$work/micro.md"

echo "bench: database sink export of 10k rows (local PostgreSQL)" >&2
postgres_env=$("$root/scripts/local-postgres.sh" start)
eval "$postgres_env"
"${bench_cmd[@]}" --rows 10000 --iterations "$bench_iterations" --postgres-dsn "$KOLLECT_POSTGRES_DSN" >"$work/postgres.md"
"$root/scripts/local-postgres.sh" stop >/dev/null

echo "bench: pipeline figures (scripts/bench-pipeline.py ${pipeline_args[*]})" >&2
python3 "$root/scripts/bench-pipeline.py" "$binary" "${pipeline_args[@]}" --log-dir "$log_dir" >"$work/pipeline.md"
load_end=$(cut -d' ' -f1-3 /proc/loadavg)

cat <<REPORT
## Kollect.Aot benchmark — $(date -u '+%Y-%m-%d %H:%M UTC')$($quick && echo ' (quick)')

* Machine: $(nproc) CPUs ($cpu_model), $mem_total RAM, $(uname -sr)
* Load average (1/5/15 min): $load_start at start, $load_end at end
* Binary: \`${binary#"$root"/}\` ($(basename "$(dirname "$binary")"))

| Figure | Measured | Runs | SPEC §10 budget |
| --- | ---: | ---: | --- |
| AOT binary size (librdkafka is a separate shared library) | $(awk -v s="$size" 'BEGIN {printf "%.1f MB (%.1f MiB, %d B)", s/1e6, s/1048576, s}') | — | ≤ 28 MB (goal ≤ 22) |
| \`kollect version\` wall time, median | $version_median_ms ms | $version_runs | — |
| \`kollect version\` peak RSS, median | $version_rss_mib MiB | $version_runs | — |
| \`kollect run\` start → \`/healthz\` 200, median | $startup_median ms | $startup_n | ≤ 50 ms median |
| \`kollect run\` start → \`/healthz\` 200, p95 / min / max | $startup_p95 / $startup_min / $startup_max ms | $startup_n | — |
| \`kollect run\` start → \`/readyz\` 200 (caches synced), median | $ready_median ms | $rss_n | — |
| Idle RSS (\`VmRSS\`, ${idle_seconds} s after \`/readyz\` 200), median (min–max) | $rss_median MiB ($rss_min–$rss_max) | $rss_n | ≤ 30 MiB |
| Idle peak RSS (\`VmHWM\`), median | $hwm_median MiB | $rss_n | — |

### Pipeline (scripts/bench-pipeline.py; operator logs in artifacts/logs/bench-operator-*.log)

$(cat "$work/pipeline.md")

### Export micro-benchmarks (tests/bench)

$(cat "$work/micro.md")

### Database sink, 10k rows in one transaction (tests/bench --postgres-dsn, PostgreSQL $("$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)/postgres" --version | awk '{print $3}') on loopback, fsync off)

$(cat "$work/postgres.md")
REPORT
