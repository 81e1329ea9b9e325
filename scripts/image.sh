#!/usr/bin/env bash
# Builds the kollect container image from Dockerfile.aot, prints its size against the budget
# (SPEC §9: ≤ 30 MB compressed, ≤ 60 MB uncompressed; fails when over) and runs `kollect version`
# in it as uid 65532. The LAST line printed is the image name.
#
# With a Docker engine (`docker info` succeeds): `docker build -f Dockerfile.aot` — the whole
# multi-stage build, base image pinned by digest.
# Without one (these machines): buildah, `--storage-driver vfs`, chroot isolation, builds the
# same Dockerfile's `final` stage with two substitutions, both printed:
#   * BASE_IMAGE is a local distroless equivalent assembled from Debian packages (no registry is
#     reachable here, so the distroless image cannot be pulled): libc6, libssl3, ca-certificates,
#     tzdata, extracted with dpkg-deb; /etc/passwd and /etc/group with nonroot 65532.
#   * the build stage is replaced by the binary scripts/publish-aot.sh produced on this machine
#     (`--build-context build=…`).
#
# Environment:
#   KOLLECT_IMAGE          image name (default localhost/kollect:<Version from Directory.Build.props>)
#   KOLLECT_PUBLISH_DIR    a publish directory holding kollect and librdkafka.so (skips the publish)
#   KOLLECT_IMAGE_BUILDER  docker | buildah (default: docker when `docker info` works, else buildah)
#   KOLLECT_IMAGE_DIR      work directory: downloaded .debs, base rootfs, OCI layout (artifacts/image)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

max_compressed=30000000
max_uncompressed=60000000
version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props | head -n 1)
image=${KOLLECT_IMAGE:-localhost/kollect:$version}
work=${KOLLECT_IMAGE_DIR:-$root/artifacts/image}
revision=$(git rev-parse HEAD 2>/dev/null || echo unknown)
source_url=$(git config --get remote.origin.url 2>/dev/null || echo unknown)
build_args=(--build-arg "VERSION=$version" --build-arg "REVISION=$revision" --build-arg "SOURCE_URL=$source_url")

log() { echo "image: $*" >&2; }
die() { log "$*"; exit 1; }

builder=${KOLLECT_IMAGE_BUILDER:-}
if [ -z "$builder" ]; then
  if command -v docker >/dev/null && docker info >/dev/null 2>&1; then builder=docker; else builder=buildah; fi
fi

human() { numfmt --to=si --suffix=B "$1"; }

# check_budget COMPRESSED UNCOMPRESSED
check_budget() {
  log "size: $(human "$1") compressed ($1 bytes; budget $(human $max_compressed)), $(human "$2") uncompressed ($2 bytes; budget $(human $max_uncompressed))"
  if [ "$1" -gt "$max_compressed" ] || [ "$2" -gt "$max_uncompressed" ]; then
    die "the image is over budget"
  fi
}

# check_version COMMAND…: runs `kollect version` in the image; it must exit 0 and report the
# librdkafka.redist version of Directory.Packages.props, loaded from /librdkafka.so.
rdkafka_version=$(sed -n 's:.*Include="librdkafka.redist" Version="\([^"]*\)".*:\1:p' Directory.Packages.props)
check_version() {
  local out rc=0
  out=$("$@" 2>&1) || rc=$?
  printf '%s\n' "$out" | sed 's/^/image:   /' >&2
  [ "$rc" -eq 0 ] || die "kollect version failed inside the image (exit $rc)"
  printf '%s\n' "$out" | grep -qxF "librdkafka: $rdkafka_version (/librdkafka.so)" \
    || die "kollect version inside the image must report librdkafka $rdkafka_version loaded from /librdkafka.so"
}

if [ "$builder" = docker ]; then
  log "building with docker (Dockerfile.aot, all stages)"
  docker build -f Dockerfile.aot "${build_args[@]}" -t "$image" . >&2
  user=$(docker image inspect -f '{{.Config.User}}' "$image")
  [ "$user" = "65532:65532" ] || die "image user is '$user', expected 65532:65532"
  log "kollect version as $user:"
  check_version docker run --rm --user 65532:65532 --entrypoint /kollect "$image" version
  uncompressed=$(docker image inspect -f '{{.Size}}' "$image")
  compressed=$(docker save "$image" | gzip -c | wc -c)
  check_budget "$compressed" "$uncompressed"
  echo "$image"
  exit 0
fi

command -v buildah >/dev/null || die "neither a Docker engine nor buildah is available; scripts/bootstrap.sh installs buildah"
bh=(buildah --storage-driver vfs)

# --- the publish directory: exactly kollect and librdkafka.so -----------------------------------
publish=${KOLLECT_PUBLISH_DIR:-}
if [ -z "$publish" ]; then
  publish=$(dirname "$(scripts/publish-aot.sh | tail -n 1)")
fi
for f in kollect librdkafka.so; do
  [ -f "$publish/$f" ] || die "$publish/$f is missing: the publish directory must hold kollect and librdkafka.so (scripts/publish-aot.sh)"
done
context="$work/build-stage"
rm -rf "$context"
mkdir -p "$context/out"
cp "$publish/kollect" "$publish/librdkafka.so" "$context/out/"

# --- the local distroless equivalent ------------------------------------------------------------
base_packages=(libc6 libssl3 ca-certificates tzdata)
debs="$work/debs"
mkdir -p "$debs"
apt_opts=()
[ "$(id -u)" -eq 0 ] && apt_opts=(-o APT::Sandbox::User=root)
# The candidate versions apt would install; a new point release gives a new base.
versions=$(apt-cache policy "${base_packages[@]}" | awk '/^[^ ]/ {p=$1; sub(/:$/, "", p)} /Candidate:/ {print p "=" $2}')
[ "$(printf '%s\n' "$versions" | grep -vc '=(none)$')" -eq ${#base_packages[@]} ] \
  || die "apt knows no candidate for some of ${base_packages[*]}; run apt-get update"
base_tag=$(printf '%s\n' "$versions" "$(sha256sum "$0" | cut -c1-16)" | sha256sum | cut -c1-12)
base_image="localhost/kollect-base:debian12-$base_tag"
if ! "${bh[@]}" inspect --type image "$base_image" >/dev/null 2>&1; then
  log "assembling the local distroless-equivalent base $base_image from Debian packages: ${base_packages[*]}"
  rm -f "$debs"/*.deb
  (cd "$debs" && apt-get download "${apt_opts[@]}" -q "${base_packages[@]}" >/dev/null) \
    || die "apt-get download ${base_packages[*]} failed (run apt-get update?)"
  rootfs="$work/base-rootfs"
  rm -rf "$rootfs"
  mkdir -p "$rootfs"
  for deb in "$debs"/*.deb; do
    dpkg-deb -x "$deb" "$rootfs"
    # Package metadata where distroless keeps it, so image scanners see what is inside.
    pkg=$(dpkg-deb -f "$deb" Package)
    mkdir -p "$rootfs/var/lib/dpkg/status.d"
    { dpkg-deb -f "$deb"; echo "Status: install ok installed"; } > "$rootfs/var/lib/dpkg/status.d/$pkg"
    log "  $(basename "$deb")"
  done
  # No maintainer scripts run, so do by hand what ca-certificates' would: one PEM bundle.
  mkdir -p "$rootfs/etc/ssl/certs"
  cat "$rootfs"/usr/share/ca-certificates/mozilla/*.crt > "$rootfs/etc/ssl/certs/ca-certificates.crt"
  # Not needed at run time: documentation, the certificate sources and update tool, and glibc's
  # iconv charset modules (8 MB; the binary uses invariant globalization and never calls iconv).
  rm -rf "$rootfs"/usr/share/doc "$rootfs"/usr/share/lintian "$rootfs"/usr/share/man \
         "$rootfs"/usr/share/ca-certificates "$rootfs"/usr/sbin "$rootfs"/etc/ca-certificates* \
         "$rootfs"/usr/lib/x86_64-linux-gnu/gconv
  cat > "$rootfs/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin
nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin
EOF
  cat > "$rootfs/etc/group" <<'EOF'
root:x:0:
nobody:x:65534:
nonroot:x:65532:
EOF
  printf 'passwd: files\ngroup: files\nhosts: files dns\n' > "$rootfs/etc/nsswitch.conf"
  cat > "$rootfs/etc/os-release" <<'EOF'
PRETTY_NAME="Kollect local distroless equivalent (Debian 12 packages)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
ID=debian
EOF
  mkdir -p "$rootfs/tmp" "$rootfs/root" "$rootfs/home/nonroot"
  chmod 1777 "$rootfs/tmp"
  chmod 700 "$rootfs/root" "$rootfs/home/nonroot"
  chown 65532:65532 "$rootfs/home/nonroot"
  # `buildah add` of a tar archive keeps its owners (`copy` would make everything root's).
  tar -C "$rootfs" --numeric-owner -cf "$work/base-rootfs.tar" .
  ctr=$("${bh[@]}" from --quiet scratch)
  "${bh[@]}" add --quiet "$ctr" "$work/base-rootfs.tar" / >/dev/null
  "${bh[@]}" config --env PATH=/usr/local/bin:/usr/bin:/bin \
    --env SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt --user 65532:65532 --workingdir /home/nonroot \
    --label "org.opencontainers.image.description=local distroless equivalent: ${versions//$'\n'/ }" "$ctr"
  "${bh[@]}" commit --quiet --rm "$ctr" "$base_image" >/dev/null
  rm -rf "$rootfs" "$work/base-rootfs.tar"
  # Bases of earlier package versions (or of an earlier version of this script) are not needed.
  "${bh[@]}" images --format '{{.Name}}:{{.Tag}}' | grep '^localhost/kollect-base:' | grep -vxF "$base_image" \
    | xargs -r "${bh[@]}" rmi >/dev/null 2>&1 || true
else
  log "reusing the local distroless-equivalent base $base_image (Debian packages: ${versions//$'\n'/ })"
fi

# --- the final stage of Dockerfile.aot ----------------------------------------------------------
log "building $image with buildah: Dockerfile.aot --target final, BASE_IMAGE=$base_image (local, not the pinned distroless digest), build stage = $publish"
"${bh[@]}" bud --quiet --isolation chroot --pull-never --target final -f Dockerfile.aot \
  "${build_args[@]}" --build-arg "BASE_IMAGE=$base_image" --build-context "build=$context" \
  -t "$image" "$root" >/dev/null
# The image this tag named before, now untagged.
"${bh[@]}" rmi --prune >/dev/null 2>&1 || true

user=$("${bh[@]}" inspect --type image --format '{{.OCIv1.Config.User}}' "$image")
[ "$user" = "65532:65532" ] || die "image user is '$user', expected 65532:65532"
ctr=$("${bh[@]}" from --quiet --pull-never "$image")
trap '"${bh[@]}" rm "$ctr" >/dev/null 2>&1 || true' EXIT
mnt=$("${bh[@]}" mount "$ctr")
rdkafka=$(cd "$mnt" && find . -name 'librdkafka*' | sort | tr '\n' ' ')
[ "$rdkafka" = "./librdkafka.so " ] || die "expected exactly /librdkafka.so in the image, found: $rdkafka"
"${bh[@]}" umount "$ctr" >/dev/null
# Sizes as a registry would hold the image: push to an OCI layout (gzip layers) and add up.
layout="$work/oci"
rm -rf "$layout"
"${bh[@]}" push --quiet "$image" "oci:$layout:kollect" >/dev/null
read -r compressed uncompressed < <(python3 - "$layout" <<'EOF'
import gzip, json, os, sys
layout = sys.argv[1]
def blob(digest):
    return os.path.join(layout, "blobs", *digest.split(":"))
index = json.load(open(os.path.join(layout, "index.json")))
manifest_desc = index["manifests"][0]
manifest = json.load(open(blob(manifest_desc["digest"])))
compressed = manifest_desc["size"] + manifest["config"]["size"] + sum(l["size"] for l in manifest["layers"])
uncompressed = 0
for layer in manifest["layers"]:
    with gzip.open(blob(layer["digest"])) as f:
        while chunk := f.read(1 << 20):
            uncompressed += len(chunk)
print(compressed, uncompressed)
EOF
)
rm -rf "$layout"
check_budget "$compressed" "$uncompressed"
log "kollect version as $user (buildah run --isolation chroot):"
check_version "${bh[@]}" run --isolation chroot --user 65532:65532 "$ctr" -- /kollect version

echo "$image"
