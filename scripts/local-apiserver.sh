#!/usr/bin/env bash
# Runs the test Kubernetes API server (tests/KubeApiServer, issue #4) in the background for local
# mode: start | stop | status. `start` prints the kubeconfig's absolute path as its last line.
#
#   scripts/local-apiserver.sh start [--with-crds] [--https] [--rbac]
#
# --rbac turns on ServiceAccount authentication and RBAC (implies --https: kubectl sends no bearer
# token over plain HTTP); the kubeconfig is the admin's, `kubectl create token` issues others.
#   scripts/local-apiserver.sh stop
#   scripts/local-apiserver.sh status
#
# State (pid, log, url, kubeconfig) lives in ${KOLLECT_LOCAL_APISERVER_DIR}, by default
# ${TMPDIR:-/tmp}/kollect-local-apiserver.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
state_dir="${KOLLECT_LOCAL_APISERVER_DIR:-${TMPDIR:-/tmp}/kollect-local-apiserver}"
project="$repo_root/tests/KubeApiServer/Kollect.Testing.KubeApiServer.csproj"
build_dir="$state_dir/build"
pid_file="$state_dir/pid"
log_file="$state_dir/server.log"
url_file="$state_dir/url"
kubeconfig="$state_dir/kubeconfig"

usage() {
  echo "usage: $0 start [--with-crds] [--https] [--rbac] | stop | status" >&2
  exit 2
}

running_pid() {
  if [[ -f "$pid_file" ]]; then
    local pid
    pid="$(cat "$pid_file")"
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
      echo "$pid"
      return 0
    fi
  fi
  return 1
}

# Builds when the output is missing or any source file is newer than it.
# /readyz over HTTP(S); without curl, the url file (written once Kestrel listens) is enough.
ready() {
  if command -v curl >/dev/null 2>&1; then
    curl -fsSk "$1/readyz" >/dev/null 2>&1
  else
    [[ -n "$1" ]]
  fi
}

build_if_needed() {
  local dll="$build_dir/Kollect.Testing.KubeApiServer.dll"
  if [[ -f "$dll" ]] && [[ -z "$(find "$repo_root/tests/KubeApiServer" -name '*.cs' -newer "$dll" -o -name '*.csproj' -newer "$dll" | head -1)" ]]; then
    return 0
  fi
  echo "building the test API server into $build_dir ..." >&2
  if ! dotnet build "$project" -c Release -o "$build_dir" --nologo -v quiet >"$state_dir/build.log" 2>&1; then
    echo "error: building $project failed; see $state_dir/build.log" >&2
    tail -20 "$state_dir/build.log" >&2
    exit 1
  fi
}

start() {
  local with_crds=false https=() rbac=()
  for arg in "$@"; do
    case "$arg" in
      --with-crds) with_crds=true ;;
      --https) https=(--https) ;;
      --rbac) rbac=(--rbac) https=(--https) ;;
      *) usage ;;
    esac
  done
  mkdir -p "$state_dir"
  if pid="$(running_pid)"; then
    echo "test API server already running (pid $pid) at $(cat "$url_file" 2>/dev/null)" >&2
  else
    build_if_needed
    rm -f "$url_file" "$kubeconfig"
    nohup dotnet "$build_dir/Kollect.Testing.KubeApiServer.dll" --port 0 "${https[@]}" "${rbac[@]}" \
      --url-file "$url_file" --kubeconfig "$kubeconfig" >"$log_file" 2>&1 &
    echo $! >"$pid_file"
    local url=""
    for _ in $(seq 1 150); do
      if [[ -f "$url_file" ]]; then
        url="$(cat "$url_file")"
        if ready "$url"; then
          break
        fi
      fi
      if ! running_pid >/dev/null; then
        echo "error: the test API server exited during start; log $log_file:" >&2
        tail -20 "$log_file" >&2
        exit 1
      fi
      sleep 0.2
    done
    if [[ -z "$url" ]] || ! ready "$url"; then
      echo "error: the test API server did not answer /readyz within 30 s; log $log_file" >&2
      exit 1
    fi
    echo "test API server started (pid $(cat "$pid_file")) at $url; log $log_file" >&2
  fi
  if [[ "$with_crds" == true ]]; then
    kubectl --kubeconfig "$kubeconfig" apply -f "$repo_root/crds/" >&2
    kubectl --kubeconfig "$kubeconfig" wait --for=condition=Established crd --all --timeout=30s >&2
  fi
  echo "$kubeconfig"
}

stop() {
  if pid="$(running_pid)"; then
    kill "$pid"
    for _ in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      kill -9 "$pid"
    fi
    rm -f "$pid_file" "$url_file"
    echo "test API server (pid $pid) stopped"
  else
    rm -f "$pid_file" "$url_file"
    echo "test API server is not running"
  fi
}

status() {
  if pid="$(running_pid)"; then
    echo "test API server running (pid $pid) at $(cat "$url_file" 2>/dev/null); kubeconfig $kubeconfig"
  else
    echo "test API server is not running"
    return 3
  fi
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) stop ;;
  status) status ;;
  *) usage ;;
esac
