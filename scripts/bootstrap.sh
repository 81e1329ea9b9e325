#!/usr/bin/env bash
# Installs what the build and tests need, and only what is missing, then restores packages.
# Idempotent: a second run installs nothing and only re-checks the restore.
set -euo pipefail
cd "$(dirname "$0")/.."

# librdkafka1/librdkafka-dev and kcat are test equipment only: the librdkafka mock Kafka cluster
# (tests/KafkaMockBroker, tests/Kollect.Testing/Kafka/KafkaMockCluster.cs) and the independent reader
# kcat. kollect itself never loads them; it ships librdkafka 2.16 next to its binary
# (scripts/publish-aot.sh).
# buildah builds and runs the container image without a Docker engine (scripts/image.sh, the RBAC
# e2e in tests/e2e/Deploy). postgresql: the database sink tests and the demo start their own
# server from its programs.
packages=(librdkafka1 librdkafka-dev kcat nats-server buildah postgresql)
missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# scripts/demo.sh reads envelopes back with python3 and queries nats-server's monitoring port with
# curl; either may come from outside apt (pyenv, a base image), so only a missing command counts.
for tool in python3 curl; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
# kubectl drives the test API server in the tests and renders config/; a newer one than Debian's
# (for example from the base image) is kept, so only a missing command counts.
command -v kubectl >/dev/null || missing+=(kubernetes-client)

if ((${#missing[@]})); then
  echo "bootstrap: installing ${missing[*]}"
  sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "bootstrap: apt packages present (${packages[*]})"
fi

command -v dotnet >/dev/null || { echo "bootstrap: the .NET SDK (dotnet) is not on PATH; install .NET 10 SDK first" >&2; exit 1; }
# `kubectl create token` (the RBAC tests) needs kubectl 1.24+, and config/ uses kustomize features
# (labels) that kubectl embeds from 1.24; Debian 12's kubernetes-client is 1.20.
minor=$(kubectl version --client -o json 2>/dev/null | sed -n 's/.*"minor": *"\([0-9]*\).*/\1/p' | head -n 1)
if [ -n "$minor" ] && [ "$minor" -lt 24 ]; then
  echo "bootstrap: warning: kubectl 1.$minor is older than 1.24: the RBAC tests (kubectl create token) and kubectl apply -k config/default need 1.24 or newer" >&2
fi

echo "bootstrap: restoring NuGet packages"
dotnet restore Kollect.Aot.sln --verbosity quiet
echo "bootstrap: done"
