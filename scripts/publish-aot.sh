#!/usr/bin/env bash
# NativeAOT publish of the `kollect` binary.
# Target framework: net10.0 (KollectTargetFramework in Directory.Build.props); KOLLECT_AOT_TFM
# overrides it.
# Fails on any trim/AOT warning but one, listed below with its reason. The LAST line printed is the
# absolute path of the binary.
#
# Allowed: "IL2104: Assembly 'Confluent.Kafka' produced trim warnings". Confluent.Kafka finds
# librdkafka's entry points by reflection over its own types; we root the whole assembly
# (TrimmerRootAssembly in src/Operator/Kollect.Operator.csproj), so nothing it reflects over is
# trimmed, and the AOT binary's `kollect version` (run by CI and tests/e2e) exercises that path. Its
# remaining warnings concern the AWS OAUTHBEARER auto-wiring, which we never configure.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
rid=${KOLLECT_RID:-linux-x64}
config=${KOLLECT_CONFIGURATION:-Release}
project=src/Operator/Kollect.Operator.csproj
log_dir="$root/artifacts/logs"
mkdir -p "$log_dir"

tfm=${KOLLECT_AOT_TFM:-net10.0}
echo "publish-aot: target framework $tfm, runtime $rid, configuration $config" >&2

out="$root/artifacts/publish/$tfm-$rid"
log="$log_dir/publish-$tfm.log"
if ! dotnet publish "$project" -c "$config" -r "$rid" -p:PublishAot=true -p:KollectTargetFramework="$tfm" \
     -p:IlcTreatWarningsAsErrors=false -o "$out" -nologo >"$log" 2>&1; then
  grep -E 'error|warning' "$log" | sort -u >&2 || true
  echo "publish-aot: publish failed; full log in $log" >&2
  exit 1
fi
# Trim/AOT analysis warnings (IL2xxx, IL3xxx) must never pass silently.
allowed="warning IL2104: Assembly 'Confluent.Kafka' produced trim warnings"
if grep -E 'warning [A-Z]+[0-9]+' "$log" | grep -vF "$allowed" | sed 's/ \[.*//' | sort -u | grep . >&2; then
  echo "publish-aot: warnings found (listed above); AOT publish must be warning-free" >&2
  exit 1
fi

binary="$out/kollect"
[ -x "$binary" ] || { echo "publish-aot: $binary was not produced" >&2; exit 1; }
size=$(stat -c %s "$binary")
echo "publish-aot: $(numfmt --to=iec-i --suffix=B "$size") ($size bytes)" >&2
echo "$binary"
