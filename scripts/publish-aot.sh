#!/usr/bin/env bash
# NativeAOT publish of the `kollect` binary.
# Target framework: net10.0 (KollectTargetFramework in Directory.Build.props); KOLLECT_AOT_TFM
# overrides it.
# Fails on any trim/AOT warning but four, listed below with their reason. The LAST line printed is
# the absolute path of the binary.
#
# The publish directory, artifacts/publish/<tfm>-<rid>/, holds exactly what runs: `kollect` and
# `librdkafka.so` (librdkafka.redist's centos8-librdkafka.so, which needs only glibc; the binary
# loads it from its own directory and never falls back to a system librdkafka). The image build
# copies that directory. Debug symbols go to artifacts/symbols/<tfm>-<rid>/kollect.dbg. The publish
# fails unless the binary, run with an empty LD_LIBRARY_PATH, reports librdkafka 2.16.x from the
# shipped file.
#
# Allowed, each by code and member (the publish reports warnings per member, TrimmerSingleWarn=false,
# so a new warning in Confluent.Kafka fails the publish): Confluent.Kafka binds librdkafka by
# reflection over its NativeMethods types (IL2067 SetDelegates) and marshals its own structs
# (IL2091 PtrToStructure<T>); src/Operator/ConfluentKafka.Roots.xml keeps those two namespaces
# (Confluent.Kafka.Impl and .Impl.NativeMethods) whole, so nothing it reflects over is trimmed, and
# `kollect version` below exercises that path (the e2e Kafka tests the rest). IL2026/IL2075 concern the AWS OAUTHBEARER auto-wiring
# (AwsAutoWireDispatcher), which loads an optional AWS assembly by name; kollect never configures it.
allowed=(
  "IL2067: Confluent.Kafka.Impl.Librdkafka.SetDelegates(Type)"
  "IL2091: Confluent.Kafka.Internal.Util.Marshal.PtrToStructure<T>(IntPtr)"
  "IL2026: Confluent.Kafka.Internal.OAuthBearer.Aws.AwsAutoWireDispatcher.ResolveCreateHandler()"
  "IL2075: Confluent.Kafka.Internal.OAuthBearer.Aws.AwsAutoWireDispatcher.ResolveCreateHandler()"
)
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
staging="$root/artifacts/obj/publish-$tfm-$rid"
symbols="$root/artifacts/symbols/$tfm-$rid"
log="$log_dir/publish-$tfm.log"
# ILC reports its warnings only when it runs, and an up-to-date publish skips it: drop its output so
# every publish is checked (a publish that failed on warnings must not pass when run again).
rm -rf "$staging" "src/Operator/obj/$config/$tfm/$rid/native"
if ! dotnet publish "$project" -c "$config" -r "$rid" -p:PublishAot=true -p:KollectTargetFramework="$tfm" \
     -p:IlcTreatWarningsAsErrors=false -p:TrimmerSingleWarn=false -o "$staging" -nologo >"$log" 2>&1; then
  grep -E 'error|warning' "$log" | sort -u >&2 || true
  echo "publish-aot: publish failed; full log in $log" >&2
  exit 1
fi
# Trim/AOT analysis warnings (IL2xxx, IL3xxx) must never pass silently.
filter=()
for a in "${allowed[@]}"; do filter+=(-e "warning $a:"); done
if grep -E 'warning [A-Z]+[0-9]+' "$log" | grep -vF "${filter[@]}" | sed 's/ \[.*//' | sort -u | grep . >&2; then
  echo "publish-aot: warnings found (listed above); AOT publish must be warning-free" >&2
  exit 1
fi

for f in kollect librdkafka.so; do
  [ -f "$staging/$f" ] || { echo "publish-aot: $staging/$f was not produced" >&2; exit 1; }
done
rm -rf "$out" "$symbols"
mkdir -p "$out" "$symbols"
cp -p "$staging/kollect" "$staging/librdkafka.so" "$out/"
[ -f "$staging/kollect.dbg" ] && cp -p "$staging/kollect.dbg" "$symbols/"

binary="$out/kollect"
version=$(LD_LIBRARY_PATH= "$binary" version 2>&1) || {
  echo "$version" >&2
  echo "publish-aot: the published binary could not load its librdkafka" >&2
  exit 1
}
if ! grep -qE "^librdkafka: 2\.16\.[0-9]+ \($out/librdkafka\.so\)$" <<<"$version"; then
  echo "$version" >&2
  echo "publish-aot: the shipped librdkafka.so must report 2.16.x (see above)" >&2
  exit 1
fi
size=$(stat -c %s "$binary")
lib_size=$(stat -c %s "$out/librdkafka.so")
echo "publish-aot: kollect $(numfmt --to=iec-i --suffix=B "$size") ($size bytes)," \
  "librdkafka.so $(numfmt --to=iec-i --suffix=B "$lib_size") ($lib_size bytes), $(grep '^librdkafka:' <<<"$version")" >&2
echo "$binary"
