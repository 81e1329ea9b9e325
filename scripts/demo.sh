#!/usr/bin/env bash
# The local demo, for a machine without a cluster: publishes the NativeAOT `kollect`, validates the
# upstream sample manifests, starts the test API server (tests/KubeApiServer) with the CRDs, applies
# the samples with the real kubectl, runs `kollect run --leader-elect` against it, and shows the
# status the operator wrote and the Lease it holds; SIGTERM then releases the Lease.
#
# Today the operator acknowledges the Kollect resources (observedGeneration and a Ready condition);
# exporting to Kafka/NATS arrives with issues #5 and #6, and this demo will then show envelopes.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

samples="$root/../shared/compat/upstream/config/samples"
[ -d "$samples" ] || { echo "demo: sample manifests not found at $samples" >&2; exit 2; }
command -v kubectl >/dev/null || { echo "demo: kubectl is required" >&2; exit 2; }

step() { printf '\n== %s\n' "$*"; }

step "publishing the NativeAOT binary"
bin=$(scripts/publish-aot.sh | tail -n 1)
"$bin" version

step "kollect validate -f <samples>"
"$bin" validate -f "$samples"

step "starting the test API server with the Kollect CRDs"
kubeconfig=$(scripts/local-apiserver.sh start --with-crds | tail -n 1)
operator_pid=""
cleanup() {
  [ -n "$operator_pid" ] && kill "$operator_pid" 2>/dev/null && wait "$operator_pid" 2>/dev/null || true
  scripts/local-apiserver.sh stop >/dev/null || true
}
trap cleanup EXIT
k() { kubectl --kubeconfig "$kubeconfig" "$@"; }

k create namespace kollect-system >/dev/null
k create namespace default >/dev/null 2>&1 || true
step "kubectl apply -f <samples>"
k apply -R -f "$samples"

step "kollect run --leader-elect (logs in $root/artifacts/demo-operator.log)"
mkdir -p "$root/artifacts"
"$bin" run --kubeconfig "$kubeconfig" --leader-elect \
  --health-probe-bind-address 127.0.0.1:0 --metrics-bind-address 127.0.0.1:0 \
  >"$root/artifacts/demo-operator.log" 2>&1 &
operator_pid=$!

for _ in $(seq 1 100); do
  pending=$(k get kollect -A -o jsonpath='{range .items[*]}{.status.observedGeneration}{"\n"}{end}' | grep -c '^$' || true)
  [ "$pending" = "0" ] && break
  sleep 0.2
done

step "kubectl get kollect -A (the operator's status)"
k get kollect -A
k get kollect -A -o jsonpath='{range .items[*]}{.kind}/{.metadata.name}: observedGeneration={.status.observedGeneration} {.status.conditions[0].type}={.status.conditions[0].status} ({.status.conditions[0].reason}){"\n"}{end}'

step "the leader Lease"
k -n kollect-system get lease kollect-operator -o jsonpath='holder={.spec.holderIdentity} duration={.spec.leaseDurationSeconds}s{"\n"}'

step "SIGTERM: the operator drains and releases the Lease"
kill -TERM "$operator_pid"
wait "$operator_pid" && echo "operator exited 0"
operator_pid=""
k -n kollect-system get lease kollect-operator -o jsonpath='holder="{.spec.holderIdentity}"{"\n"}'
