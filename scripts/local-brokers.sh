#!/usr/bin/env bash
# Local message brokers for the demo and for trying `kollect export` by hand: a nats-server with
# JetStream and librdkafka's mock Kafka cluster (tests/KafkaMockBroker), both on free loopback
# ports, in the background. start | stop | status.
#
#   scripts/local-brokers.sh start [--kafka-topic T ...] [--kafka-partitions N]
#   scripts/local-brokers.sh stop
#   scripts/local-brokers.sh status
#
# `start` and `status` print the addresses as shell assignments, which is also the state file
# (source it, or eval the output):
#   KOLLECT_KAFKA_BOOTSTRAP=127.0.0.1:PORT
#   KOLLECT_NATS_URL=nats://127.0.0.1:PORT
#   KOLLECT_NATS_MONITOR_URL=http://127.0.0.1:PORT      (nats-server monitoring: /jsz, /healthz)
# The Kafka mock keeps messages in memory; the JetStream store is a temp dir removed by `stop`.
# Sinks on these addresses are loopback endpoints: the operator and the CLI accept them only with
# --allow-loopback-sinks (SPEC §6.5).
#
# State (pids, logs, brokers.env, JetStream store) lives in ${KOLLECT_LOCAL_BROKERS_DIR}, by default
# ${TMPDIR:-/tmp}/kollect-local-brokers; the Kafka mock is built into artifacts/kafka-mock-broker.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
state_dir="${KOLLECT_LOCAL_BROKERS_DIR:-${TMPDIR:-/tmp}/kollect-local-brokers}"
project_dir="$repo_root/tests/KafkaMockBroker"
build_dir="$repo_root/artifacts/kafka-mock-broker"
env_file="$state_dir/brokers.env"
nats_pid_file="$state_dir/nats.pid"
kafka_pid_file="$state_dir/kafka.pid"

usage() {
  echo "usage: $0 start [--kafka-topic T ...] [--kafka-partitions N] | stop | status" >&2
  exit 2
}

alive() {
  [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null
}

# Builds when the output is missing or a source (including tests/Kollect.Testing, which holds KafkaMockCluster.cs) is newer.
build_if_needed() {
  local dll="$build_dir/Kollect.Testing.KafkaMockBroker.dll"
  if [[ -f "$dll" ]] && [[ -z "$(find "$project_dir" "$repo_root/tests/Kollect.Testing" \
      \( -name '*.cs' -o -name '*.csproj' \) -newer "$dll" -not -path '*/obj/*' -not -path '*/bin/*' | head -1)" ]]; then
    return 0
  fi
  echo "building the Kafka mock broker into $build_dir ..." >&2
  mkdir -p "$build_dir"
  if ! dotnet build "$project_dir/Kollect.Testing.KafkaMockBroker.csproj" -c Release -o "$build_dir" --nologo -v quiet \
      >"$state_dir/build.log" 2>&1; then
    echo "error: building the Kafka mock broker failed; see $state_dir/build.log" >&2
    tail -20 "$state_dir/build.log" >&2
    exit 1
  fi
}

# Waits up to 30 s for a file to have content while the process in the pid file lives.
wait_for_file() {
  local file="$1" pid_file="$2" log="$3" what="$4"
  for _ in $(seq 1 150); do
    [[ -s "$file" ]] && return 0
    if ! alive "$pid_file"; then
      echo "error: $what exited during start; log $log:" >&2
      tail -20 "$log" >&2
      return 1
    fi
    sleep 0.2
  done
  echo "error: $what did not start within 30 s; log $log" >&2
  return 1
}

start_nats() {
  local store="$state_dir/jetstream" ports_dir="$state_dir/nats-ports"
  rm -rf "$store" "$ports_dir"
  mkdir -p "$store" "$ports_dir"
  # -p/-m -1: free ports, reported in the ports file once the server listens.
  nohup nats-server --jetstream --store_dir "$store" --addr 127.0.0.1 --port -1 --http_port -1 \
    --ports_file_dir "$ports_dir" >"$state_dir/nats.log" 2>&1 &
  echo $! >"$nats_pid_file"
  local ports="$ports_dir/nats-server_$(cat "$nats_pid_file").ports"
  wait_for_file "$ports" "$nats_pid_file" "$state_dir/nats.log" "nats-server" || return 1
  nats_url=$(sed -E 's/.*"nats":\["([^"]+)".*/\1/' "$ports")
  nats_monitor=$(sed -E 's/.*"monitoring":\["([^"]+)".*/\1/' "$ports")
  if command -v curl >/dev/null 2>&1; then
    for _ in $(seq 1 50); do
      curl -fs "$nats_monitor/healthz?js-enabled-only=true" >/dev/null 2>&1 && return 0
      sleep 0.1
    done
    echo "error: nats-server JetStream is not healthy; log $state_dir/nats.log" >&2
    return 1
  fi
}

start_kafka() {
  local topics=("$@")
  build_if_needed
  rm -f "$state_dir/kafka.out"
  nohup dotnet "$build_dir/Kollect.Testing.KafkaMockBroker.dll" --partitions "$kafka_partitions" "${topics[@]}" \
    >"$state_dir/kafka.out" 2>"$state_dir/kafka.log" &
  echo $! >"$kafka_pid_file"
  wait_for_file "$state_dir/kafka.out" "$kafka_pid_file" "$state_dir/kafka.log" "the Kafka mock broker" || return 1
  kafka_bootstrap=$(head -n 1 "$state_dir/kafka.out")
}

start() {
  local topics=()
  kafka_partitions=1
  while (($#)); do
    case "$1" in
      --kafka-topic) [[ $# -ge 2 ]] || usage; topics+=("$2"); shift 2 ;;
      --kafka-partitions) [[ $# -ge 2 ]] || usage; kafka_partitions="$2"; shift 2 ;;
      *) usage ;;
    esac
  done
  command -v nats-server >/dev/null || { echo "error: nats-server not found; run scripts/bootstrap.sh" >&2; exit 1; }
  mkdir -p "$state_dir"
  if alive "$nats_pid_file" && alive "$kafka_pid_file" && [[ -f "$env_file" ]]; then
    echo "local brokers already running (state $state_dir); topics are created when first used" >&2
    cat "$env_file"
    return 0
  fi
  # A half-started set (one broker died) is replaced as a whole.
  stop >/dev/null
  mkdir -p "$state_dir"
  if ! start_nats || ! start_kafka "${topics[@]}"; then
    stop >/dev/null
    exit 1
  fi
  {
    echo "KOLLECT_KAFKA_BOOTSTRAP=$kafka_bootstrap"
    echo "KOLLECT_NATS_URL=$nats_url"
    echo "KOLLECT_NATS_MONITOR_URL=$nats_monitor"
  } >"$env_file"
  echo "local brokers started: nats-server (pid $(cat "$nats_pid_file")), Kafka mock (pid $(cat "$kafka_pid_file")); logs in $state_dir" >&2
  cat "$env_file"
}

# SIGTERM, then SIGKILL after 5 s.
stop_one() {
  local pid_file="$1" what="$2"
  if alive "$pid_file"; then
    local pid
    pid=$(cat "$pid_file")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      kill -9 "$pid" 2>/dev/null || true
    fi
    echo "$what (pid $pid) stopped"
  else
    echo "$what is not running"
  fi
  rm -f "$pid_file"
}

stop() {
  stop_one "$kafka_pid_file" "Kafka mock broker"
  stop_one "$nats_pid_file" "nats-server"
  rm -rf "$state_dir/jetstream" "$state_dir/nats-ports" "$env_file"
}

status() {
  local running=0
  if alive "$nats_pid_file"; then echo "nats-server running (pid $(cat "$nats_pid_file"))" >&2; running=$((running + 1)); else echo "nats-server is not running" >&2; fi
  if alive "$kafka_pid_file"; then echo "Kafka mock broker running (pid $(cat "$kafka_pid_file"))" >&2; running=$((running + 1)); else echo "Kafka mock broker is not running" >&2; fi
  if [[ $running -eq 2 && -f "$env_file" ]]; then
    cat "$env_file"
  else
    return 3
  fi
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) stop ;;
  status) status ;;
  *) usage ;;
esac
