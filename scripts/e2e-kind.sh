#!/usr/bin/env bash
# The e2e scenarios on a real Kubernetes cluster (issue #17 §5), wherever Docker (with an engine)
# and kind exist; elsewhere it prints why it is skipped and exits 0.
#
#   1. creates a kind cluster (or reuses one of that name);
#   2. builds the image from Dockerfile.aot (scripts/image.sh, docker) and `kind load`s it;
#   3. deploys NATS (JetStream) and single-node Kafka (KRaft) from tests/e2e/kind/brokers and
#      creates the topics;
#   4. applies config/default through tests/e2e/kind/operator (0 replicas, --cluster-name,
#      --allow-private-sinks) and checks the demo configuration end to end: config/samples/demo with
#      its sinks pointed at the in-cluster brokers, exported until the inventory is Ready;
#   5. runs the scenarios of tests/e2e/Operator with KOLLECT_E2E_MODE=kind: the same code as local
#      mode, against this cluster (tests/e2e/kind/KindEnvironment.cs);
#   6. deletes the cluster.
#
# Environment:
#   KOLLECT_KIND_CLUSTER   cluster name (default kollect-e2e)
#   KOLLECT_KIND_KEEP=1    keep the cluster afterwards (and reuse it next time)
#   KOLLECT_TEST_RESULTS   directory for the TRX results (default artifacts/test-results)
#   KOLLECT_TEST_FILTER    a `dotnet test --filter` expression, ANDed with the scenario filter
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

skip() { echo "e2e-kind: skipped: $*"; exit 0; }
command -v docker >/dev/null || skip "docker is not installed (kind runs its nodes as Docker containers)"
docker info >/dev/null 2>&1 || skip "docker has no reachable engine ('docker info' fails), so kind cannot create a cluster"
command -v kind >/dev/null || skip "kind is not installed (https://kind.sigs.k8s.io)"
command -v kubectl >/dev/null || skip "kubectl is not installed (scripts/bootstrap.sh installs it)"
command -v kcat >/dev/null || skip "kcat is not installed (scripts/bootstrap.sh installs it); the scenarios read Kafka with it"

cluster=${KOLLECT_KIND_CLUSTER:-kollect-e2e}
results=${KOLLECT_TEST_RESULTS:-$root/artifacts/test-results}
work="$root/artifacts/e2e-kind"
mkdir -p "$work" "$results"
kubeconfig="$work/kubeconfig"
k() { kubectl --kubeconfig "$kubeconfig" "$@"; }
log() { echo "e2e-kind: $*"; }

cleanup() {
  if [ "${KOLLECT_KIND_KEEP:-0}" = "1" ]; then
    log "keeping cluster $cluster (KOLLECT_KIND_KEEP=1; kubeconfig $kubeconfig)"
  else
    kind delete cluster --name "$cluster" >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT

if kind get clusters 2>/dev/null | grep -qx "$cluster"; then
  log "reusing kind cluster $cluster"
else
  log "creating kind cluster $cluster"
  kind create cluster --name "$cluster" --wait 180s
fi
kind get kubeconfig --name "$cluster" >"$kubeconfig"

log "building the image from Dockerfile.aot"
image=$(KOLLECT_IMAGE_BUILDER=docker scripts/image.sh | tail -n 1)
kind load docker-image "$image" --name "$cluster"

log "deploying NATS and Kafka (tests/e2e/kind/brokers)"
k apply -k tests/e2e/kind/brokers
k -n kollect-e2e rollout status statefulset/nats --timeout=300s
k -n kollect-e2e rollout status deployment/kafka --timeout=300s
for topic in kollect-inventory:3 kollect.demo.inventory:1; do
  k -n kollect-e2e exec deploy/kafka -- /opt/kafka/bin/kafka-topics.sh --bootstrap-server localhost:9092 \
    --create --if-not-exists --topic "${topic%%:*}" --partitions "${topic##*:}" --replication-factor 1
done

log "installing config/default (tests/e2e/kind/operator)"
k apply -k tests/e2e/kind/operator
k wait --for=condition=Established crd --all --timeout=60s

log "the demo configuration, its sinks pointed at the in-cluster brokers"
demo="$work/demo"
rm -rf "$demo" && mkdir -p "$demo"
for f in config/samples/demo/kollect/*.yaml; do
  sed -e 's#127.0.0.1:9092#kafka.kollect-e2e.svc.cluster.local:9092#' \
      -e 's#nats://127.0.0.1:4222#nats://nats.kollect-e2e.svc.cluster.local:4222#' "$f" >"$demo/${f##*/}"
done
k apply -f config/samples/demo/objects
k apply -f "$demo"
k -n kollect-system scale deployment/kollect --replicas=1
k -n kollect-system rollout status deployment/kollect --timeout=120s
if ! k -n kollect-demo wait --for=condition=Ready kollectinventory/demo-inventory --timeout=120s; then
  k -n kollect-demo get kollectinventory demo-inventory -o yaml || true
  k -n kollect-system logs deployment/kollect --tail=100 || true
  exit 1
fi
k -n kollect-system scale deployment/kollect --replicas=0
k delete namespace kollect-demo --wait=true

log "running the scenarios of tests/e2e/Operator in kind mode"
filter="FullyQualifiedName~Kollect.Tests.E2e.Operator"
[ -n "${KOLLECT_TEST_FILTER:-}" ] && filter="($filter)&(${KOLLECT_TEST_FILTER})"
dotnet build tests/e2e -c Release -nologo -v quiet
KOLLECT_E2E_MODE=kind KOLLECT_E2E_KUBECONFIG="$kubeconfig" \
  dotnet test tests/e2e -c Release --no-build -nologo --filter "$filter" \
  --results-directory "$results" --logger "trx;LogFileName=e2e-kind.trx" --logger "console;verbosity=normal"
