#!/usr/bin/env bash
# Measures the SPEC §10 budgets and the goals of issue #14 and prints a Markdown report: AOT binary
# size, `kollect version` wall time and peak RSS, start -> /healthz 200 and idle RSS of `kollect run`
# against the test API server (scripts/bench-startup.py), bytes per kept row from a heap count and
# the export micro-benchmarks (tests/bench), the database sink's export of 10k rows in one
# transaction to a local PostgreSQL (scripts/local-postgres.sh), and the pipeline figures
# (scripts/bench-pipeline.py): RSS with 1k/10k/50k/100k collected ConfigMaps and the cold
# collection's operator vs API server time, change -> NATS and -> Kafka delivery with interval 0
# (total and the operator's share), and sustained churn over 100 namespaces.
# Benchmarks are this script, never timed tests (SPEC §10).
#
#   scripts/bench.sh [--quick] [--compare BIN] [--plot]
#
#   --quick        short run: 5 start-ups, 8 iterations; 1k and 10k objects, 20 changes per broker,
#                  10 s of churn
#   --compare BIN  runs a second `kollect` binary (e.g. the previous release, or main's) side by side
#                  in the same run: start-ups interleaved A, B, A, B; each pipeline scenario for A then
#                  B on fresh servers; every figure of both with the ratio BIN / this build
#   --plot         writes artifacts/bench/bench.svg: RSS against collected objects and the latency
#                  distribution (docs/benchmarks.md links the committed copy, docs/bench.svg)
#
# The machine may be shared, so the load average is printed with the figures and every figure
# is a median over repetitions. Everything started here is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

quick=false; compare=""; plot=false
while (($#)); do
  case "$1" in
    --quick) quick=true; shift ;;
    --compare) [ $# -ge 2 ] || { echo "usage: $0 [--quick] [--compare BIN] [--plot]" >&2; exit 2; }
      compare=$(realpath "$2"); [ -x "$compare" ] || { echo "bench: --compare $2 is not an executable" >&2; exit 2; }
      shift 2 ;;
    --plot) plot=true; shift ;;
    *) echo "usage: $0 [--quick] [--compare BIN] [--plot]" >&2; exit 2 ;;
  esac
done
if $quick; then
  version_runs=5; startup_runs=5; idle_runs=1; idle_seconds=8; bench_iterations=8
  pipeline_args=(--sizes 1000,10000 --latency-runs 20 --rss-samples 2 --settle-seconds 2 --churn-seconds 10)
else
  version_runs=20; startup_runs=20; idle_runs=3; idle_seconds=8; bench_iterations=30
  pipeline_args=(--sizes 1000,10000,50000,100000 --latency-runs 100 --rss-samples 5 --settle-seconds 5 --churn-seconds 60)
fi
[ -n "$compare" ] && pipeline_args+=(--compare "$compare")
$plot && { mkdir -p "$root/artifacts/bench"; pipeline_args+=(--plot "$root/artifacts/bench/bench.svg"); }

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
version_ms=(); version_kib=(); compare_version_ms=(); compare_version_kib=()
time_version() {  # binary, name of the ms array, name of the KiB array
  local -n ms_out=$2 kib_out=$3
  t0=$(date +%s%N)
  /usr/bin/time -v "$1" version >/dev/null 2>"$work/time.txt"
  t1=$(date +%s%N)
  ms_out+=("$(( (t1 - t0) / 1000 ))")
  kib_out+=("$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")")
}
for _ in $(seq "$version_runs"); do
  time_version "$binary" version_ms version_kib
  [ -n "$compare" ] && time_version "$compare" compare_version_ms compare_version_kib
done
# Median of a list of integers.
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
version_median_ms=$(awk -v us="$(median "${version_ms[@]}")" 'BEGIN {printf "%.1f", us/1000}')
version_rss_mib=$(awk -v k="$(median "${version_kib[@]}")" 'BEGIN {printf "%.1f", k/1024}')
if [ -n "$compare" ]; then
  compare_version_median_ms=$(awk -v us="$(median "${compare_version_ms[@]}")" 'BEGIN {printf "%.1f", us/1000}')
  compare_version_rss_mib=$(awk -v k="$(median "${compare_version_kib[@]}")" 'BEGIN {printf "%.1f", k/1024}')
fi

echo "bench: starting the test API server" >&2
kubeconfig=$("$root/scripts/local-apiserver.sh" start --with-crds | tail -n 1)

echo "bench: kollect run start -> /healthz x$startup_runs, idle RSS x$idle_runs" >&2
python3 "$root/scripts/bench-startup.py" "$binary" "$kubeconfig" \
  --runs "$startup_runs" --idle-runs "$idle_runs" --idle-seconds "$idle_seconds" \
  ${compare:+--compare "$compare"} >"$work/run.txt"
read -r _ startup_median startup_p95 startup_min startup_max startup_n < <(grep '^startup_ms' "$work/run.txt")
read -r _ ready_median _ < <(grep '^ready_ms' "$work/run.txt")
read -r _ rss_median rss_min rss_max rss_n < <(grep '^idle_rss_mib' "$work/run.txt")
read -r _ hwm_median _ _ _ < <(grep '^idle_hwm_mib' "$work/run.txt")
if [ -n "$compare" ]; then
  read -r _ c_startup_median c_startup_p95 c_startup_min c_startup_max _ < <(grep '^compare_startup_ms' "$work/run.txt")
  read -r _ c_ready_median _ < <(grep '^compare_ready_ms' "$work/run.txt")
  read -r _ c_rss_median c_rss_min c_rss_max _ < <(grep '^compare_idle_rss_mib' "$work/run.txt")
  read -r _ c_hwm_median _ _ _ < <(grep '^compare_idle_hwm_mib' "$work/run.txt")
  c_size=$(stat -c %s "$compare")
fi
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
echo "bench: bytes per kept row (heap count, tests/bench --row-memory)" >&2
for n in 10000 100000; do
  echo "With $n ConfigMaps:"; echo
  DOTNET_gcServer=0 "${bench_cmd[@]}" --rows "$n" --row-memory
  echo
done >"$work/rows.md"

echo "bench: database sink export of 10k rows (local PostgreSQL)" >&2
postgres_env=$("$root/scripts/local-postgres.sh" start)
eval "$postgres_env"
"${bench_cmd[@]}" --rows 10000 --iterations "$bench_iterations" --postgres-dsn "$KOLLECT_POSTGRES_DSN" >"$work/postgres.md"
"$root/scripts/local-postgres.sh" stop >/dev/null

echo "bench: pipeline figures (scripts/bench-pipeline.py ${pipeline_args[*]})" >&2
python3 "$root/scripts/bench-pipeline.py" "$binary" "${pipeline_args[@]}" --log-dir "$log_dir" >"$work/pipeline.md"
load_end=$(cut -d' ' -f1-3 /proc/loadavg)

# A table row: figure, this build's value, runs, budget[, compare value, ratio of two numbers].
row() {
  if [ -n "$compare" ]; then
    local r="—"
    [ -n "${6:-}" ] && [ -n "${7:-}" ] && r=$(awk -v a="$6" -v b="$7" 'BEGIN {if (a > 0) printf "%.2f×", b/a; else print "—"}')
    echo "| $1 | $2 | $3 | $4 | $5 | $r |"
  else
    echo "| $1 | $2 | $3 | $4 |"
  fi
}
mb() { awk -v s="$1" 'BEGIN {printf "%.1f MB (%.1f MiB, %d B)", s/1e6, s/1048576, s}'; }

cat <<REPORT
## Kollect.Aot benchmark — $(date -u '+%Y-%m-%d %H:%M UTC')$($quick && echo ' (quick)')

* Machine: $(nproc) CPUs ($cpu_model), $mem_total RAM, $(uname -sr)
* Load average (1/5/15 min): $load_start at start, $load_end at end
* Binary: \`${binary#"$root"/}\` ($(basename "$(dirname "$binary")"))$([ -n "$compare" ] && printf '; compare binary: `%s`' "$compare")

$(if [ -n "$compare" ]; then echo "| Figure | Measured | Runs | Budget / goal | Compare binary | Ratio (compare / measured) |"; echo "| --- | ---: | ---: | --- | ---: | ---: |"
  else echo "| Figure | Measured | Runs | Budget / goal |"; echo "| --- | ---: | ---: | --- |"; fi)
$(row "AOT binary size (librdkafka is a separate shared library)" "$(mb "$size")" — "≤ 28 MB (goal ≤ 22)" "$([ -n "$compare" ] && mb "$c_size")" "$size" "${c_size:-}")
$(row "\`kollect version\` wall time, median" "$version_median_ms ms" "$version_runs" — "${compare_version_median_ms:-} ms" "$version_median_ms" "${compare_version_median_ms:-}")
$(row "\`kollect version\` peak RSS, median" "$version_rss_mib MiB" "$version_runs" — "${compare_version_rss_mib:-} MiB" "$version_rss_mib" "${compare_version_rss_mib:-}")
$(row "\`kollect run\` start → \`/healthz\` 200, median" "$startup_median ms" "$startup_n" "≤ 50 ms median (goal ≤ 20 ms)" "${c_startup_median:-} ms" "$startup_median" "${c_startup_median:-}")
$(row "\`kollect run\` start → \`/healthz\` 200, p95 / min / max" "$startup_p95 / $startup_min / $startup_max ms" "$startup_n" — "${c_startup_p95:-} / ${c_startup_min:-} / ${c_startup_max:-} ms")
$(row "\`kollect run\` start → \`/readyz\` 200 (caches synced), median" "$ready_median ms" "$rss_n" — "${c_ready_median:-} ms" "$ready_median" "${c_ready_median:-}")
$(row "Idle RSS (\`VmRSS\`, ${idle_seconds} s after \`/readyz\` 200), median (min–max)" "$rss_median MiB ($rss_min–$rss_max)" "$rss_n" "≤ 30 MiB (goal ≤ 20 MiB)" "${c_rss_median:-} MiB (${c_rss_min:-}–${c_rss_max:-})" "$rss_median" "${c_rss_median:-}")
$(row "Idle peak RSS (\`VmHWM\`), median" "$hwm_median MiB" "$rss_n" — "${c_hwm_median:-} MiB" "$hwm_median" "${c_hwm_median:-}")

### Pipeline (scripts/bench-pipeline.py; operator logs in artifacts/logs/bench-operator-*.log)

$(cat "$work/pipeline.md")
$($plot && printf '\nPlot: `artifacts/bench/bench.svg`\n')

### Bytes per kept row, from a heap count (tests/bench --row-memory, this build's engine)

$(cat "$work/rows.md")

### Export micro-benchmarks (tests/bench)

$(cat "$work/micro.md")

### Database sink, 10k rows in one transaction (tests/bench --postgres-dsn, PostgreSQL $("$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)/postgres" --version | awk '{print $3}') on loopback, fsync off)

$(cat "$work/postgres.md")
REPORT
