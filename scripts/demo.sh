#!/usr/bin/env bash
# The main job on a machine without a cluster or brokers (issue #6): publishes the NativeAOT
# `kollect`, starts a local nats-server (JetStream) and Kafka mock broker (scripts/local-brokers.sh)
# and a local PostgreSQL (scripts/local-postgres.sh), and runs the pipeline on the embedded default
# configuration in config/samples/demo, whose inventory exports to Kafka, NATS and PostgreSQL:
#   1. `kollect validate` and `kollect export --objects` publish one envelope per event sink and
#      write the rows to the database sink's table;
#   2. independent clients read them back (kcat for Kafka, scripts/read-envelopes.py speaking the
#      NATS protocol, psql for PostgreSQL) and check checksum, itemCount, Nats-Msg-Id and redaction;
#   3. the operator: the test API server (tests/KubeApiServer) with the CRDs, `kubectl apply` of the
#      demo objects, the demo configuration and the original project's samples, `kollect run
#      --leader-elect`; it exports on its own (status.sinkExports), then again after a ConfigMap
#      edit; SIGTERM drains it and releases the Lease.
# Everything started here is stopped on exit, also on failure or Ctrl-C. KOLLECT_BIN=path reuses a
# published binary instead of publishing.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

demo="$root/config/samples/demo"
samples="$root/tests/compat/upstream/config/samples"
topic=kollect.demo.inventory
stream=kollect_demo

for tool in kubectl kcat nats-server python3 curl psql; do
  command -v "$tool" >/dev/null || { echo "demo: $tool is required; run scripts/bootstrap.sh" >&2; exit 2; }
done

step() { printf '\n== %s\n' "$*"; }
loopback_note() {
  echo "   (--allow-loopback-sinks: the local brokers listen on 127.0.0.1, and the endpoint guard refuses"
  echo "    loopback sinks unless told otherwise — SPEC §6.5; for development and tests only)"
}

if [ -n "${KOLLECT_BIN:-}" ]; then
  step "using the published binary $KOLLECT_BIN (KOLLECT_BIN)"
  bin=$KOLLECT_BIN
else
  step "publishing the NativeAOT binary"
  bin=$(scripts/publish-aot.sh | tail -n 1)
fi
"$bin" version
started=$SECONDS

work=$(mktemp -d "${TMPDIR:-/tmp}/kollect-demo.XXXXXX")
export KOLLECT_LOCAL_BROKERS_DIR="$work/brokers"
export KOLLECT_LOCAL_POSTGRES_DIR="$work/postgres"
# The demo's own API server state (its build is kept between runs), apart from one started by hand.
export KOLLECT_LOCAL_APISERVER_DIR="$root/artifacts/demo-apiserver"
operator_pid=""
apiserver_started=false
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [ -n "$operator_pid" ]; then
    kill -TERM "$operator_pid" 2>/dev/null && wait "$operator_pid" 2>/dev/null || true
  fi
  if [ "$apiserver_started" = true ]; then scripts/local-apiserver.sh stop >/dev/null || true; fi
  scripts/local-brokers.sh stop >/dev/null || true
  scripts/local-postgres.sh stop >/dev/null || true
  rm -rf "$work"
  [ "$status" -eq 0 ] || echo "demo: failed (exit $status); everything it started is stopped" >&2
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

step "starting local brokers (scripts/local-brokers.sh start): nats-server with JetStream, Kafka mock"
brokers=$(scripts/local-brokers.sh start --kafka-topic "$topic")
eval "$brokers"
echo "Kafka bootstrap $KOLLECT_KAFKA_BOOTSTRAP, NATS $KOLLECT_NATS_URL (monitoring $KOLLECT_NATS_MONITOR_URL)"

step "starting a local PostgreSQL (scripts/local-postgres.sh start)"
# As root the server runs as the postgres user, which must be able to enter the work dir.
chmod 711 "$work"
postgres_env=$(scripts/local-postgres.sh start)
eval "$postgres_env"
table=kollect_demo_items
rows() {
  psql "$KOLLECT_POSTGRES_DSN" -X -P pager=off -c "SELECT inventory_namespace AS ns, inventory_name AS inventory, target_name AS target, source_uid, cluster,
      payload->>'name' AS object, payload->'attributes'->'settings'->>'theme' AS theme, exported_at FROM $table ORDER BY object"
}

# The shipped sinks point at the brokers' usual ports; the demo points them at the ones just started,
# and the database sink's Secret at the local PostgreSQL.
config="$work/config"
mkdir -p "$config"
for file in "$demo"/kollect/*.yaml; do
  sed -e "s#127.0.0.1:9092#$KOLLECT_KAFKA_BOOTSTRAP#" -e "s#nats://127.0.0.1:4222#$KOLLECT_NATS_URL#" \
    -e "s#^  dsn: .*#  dsn: \"$KOLLECT_POSTGRES_DSN\"#" "$file" >"$config/$(basename "$file")"
done

step "kollect validate -f config/samples/demo (sinks on the local brokers) --allow-loopback-sinks"
loopback_note
"$bin" validate -f "$config" -f "$demo/objects" --allow-loopback-sinks

step "kollect export --config config/samples/demo/kollect --objects config/samples/demo/objects --allow-loopback-sinks"
loopback_note
"$bin" export --config "$config" --objects "$demo/objects" --allow-loopback-sinks

step "Kafka, read back with kcat: kcat -C -b $KOLLECT_KAFKA_BOOTSTRAP -t $topic -e -f '%k %h %s\\n'"
kcat -C -q -b "$KOLLECT_KAFKA_BOOTSTRAP" -t "$topic" -e -f '%k %h %s\n'
kcat -C -q -b "$KOLLECT_KAFKA_BOOTSTRAP" -t "$topic" -e -f '%s\n' | python3 scripts/read-envelopes.py stdin

step "NATS JetStream, read back with \$JS.API.STREAM.MSG.GET (scripts/read-envelopes.py nats $KOLLECT_NATS_URL $stream)"
python3 scripts/read-envelopes.py nats "$KOLLECT_NATS_URL" "$stream"
curl -fs "$KOLLECT_NATS_MONITOR_URL/jsz?streams=true" \
  | python3 -c 'import json,sys; d=json.load(sys.stdin); print("nats-server /jsz: %d stream(s), %d message(s)" % (d["streams"], d["messages"]))'

step "PostgreSQL, read back with psql: the rows of table $table (objects from manifests have no uid: source_uid nouid:…)"
rows

step "starting the test API server with the Kollect CRDs"
apiserver_started=true
kubeconfig=$(scripts/local-apiserver.sh start --with-crds | tail -n 1)
k() { kubectl --kubeconfig "$kubeconfig" "$@"; }
k create namespace kollect-system >/dev/null
k create namespace default >/dev/null 2>&1 || true

step "kubectl apply: the demo objects, the demo configuration and the original project's samples"
k apply -f "$demo/objects/namespace.yaml"
k apply -f "$demo/objects/configmaps.yaml"
k apply -f "$config"
k apply -R -f "$samples"

step "kollect run --leader-elect --allow-loopback-sinks (logs in $root/artifacts/demo-operator.log)"
loopback_note
mkdir -p "$root/artifacts"
"$bin" run --kubeconfig "$kubeconfig" --leader-elect --allow-loopback-sinks \
  --health-probe-bind-address 127.0.0.1:0 --metrics-bind-address 127.0.0.1:0 \
  >"$root/artifacts/demo-operator.log" 2>&1 &
operator_pid=$!

sink_exports() {
  k -n kollect-demo get kollectinventory demo-inventory \
    -o jsonpath='{range .status.sinkExports[*]}{.name} checksum={.lastChecksum} generation={.lastGeneration} at={.lastExportTime}{"\n"}{end}'
}
# Waits up to 30 s until all three sink refs report a checksum different from $1 (empty at first).
wait_for_exports() {
  local before="$1" exports=""
  for _ in $(seq 1 150); do
    exports=$(sink_exports 2>/dev/null || true)
    if [ "$(grep -c 'checksum=[0-9a-f]' <<<"$exports")" = 3 ] && { [ -z "$before" ] || ! grep -q "$before" <<<"$exports"; }; then
      return 0
    fi
    kill -0 "$operator_pid" 2>/dev/null || { echo "demo: the operator exited; see artifacts/demo-operator.log" >&2; return 1; }
    sleep 0.2
  done
  echo "demo: the operator did not export to all three sinks within 30 s; status.sinkExports:" >&2
  echo "${exports:-<none>}" >&2
  tail -n 20 "$root/artifacts/demo-operator.log" >&2
  return 1
}
wait_for_exports ""

step "the operator's status: KollectInventory kollect-demo/demo-inventory status.sinkExports"
sink_exports
k -n kollect-demo get kollectinventory demo-inventory \
  -o jsonpath='itemCount={.status.itemCount} {range .status.conditions[*]}{.type}={.status} {end}{"\n"}'
first_checksum=$(sink_exports | sed -n 's/.*checksum=\([0-9a-f]*\).*/\1/p' | head -n 1)

step "PostgreSQL after the operator's export (psql): rows of the live objects, keyed by their uids; the manifests' rows are gone"
rows

step "Kafka, the operator's message (the newest on $topic)"
kcat -C -q -b "$KOLLECT_KAFKA_BOOTSTRAP" -t "$topic" -o -1 -e -f '%k %h %s\n'
echo "messages on $topic: $(kcat -C -q -b "$KOLLECT_KAFKA_BOOTSTRAP" -t "$topic" -e -f '.\n' | wc -l)"

step "an object changes: kubectl patch configmap storefront-settings (theme: winter)"
k -n kollect-demo patch configmap storefront-settings --type merge -p '{"data":{"theme":"winter"}}'
wait_for_exports "$first_checksum"
sink_exports
echo "the new Kafka message:"
kcat -C -q -b "$KOLLECT_KAFKA_BOOTSTRAP" -t "$topic" -o -1 -e -f '%k %h %s\n'
kcat -C -q -b "$KOLLECT_KAFKA_BOOTSTRAP" -t "$topic" -e -f '%s\n' | python3 scripts/read-envelopes.py stdin
python3 scripts/read-envelopes.py nats "$KOLLECT_NATS_URL" "$stream" | grep -E '^(stream|  check)'
echo "the table (psql), in the same export as the messages:"
rows

step "kubectl get kollect -A (the operator's status for every Kollect object)"
k get kollect -A

step "SIGTERM: the operator drains and releases the Lease"
k -n kollect-system get lease kollect-operator -o jsonpath='holder={.spec.holderIdentity} duration={.spec.leaseDurationSeconds}s{"\n"}'
kill -TERM "$operator_pid"
wait "$operator_pid" && echo "operator exited 0"
operator_pid=""
k -n kollect-system get lease kollect-operator -o jsonpath='holder="{.spec.holderIdentity}"{"\n"}'

step "done in $((SECONDS - started)) s after the publish step; stopping the API server, the brokers and PostgreSQL"
