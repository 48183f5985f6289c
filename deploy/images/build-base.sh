#!/usr/bin/env bash
# Builds the third-party images the stack needs (PostgreSQL, RabbitMQ, a Python runtime) from a
# Debian mirror alone, for machines that reach no image registry, and records which images to
# use in .images.env at the repository root (read by the Makefile and the tests).
#
#   VERBAND_IMAGES=auto      pull the official images, build from Debian where a pull fails (default)
#   VERBAND_IMAGES=local     always build from Debian
#   VERBAND_IMAGES=official  always pull
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
mode=${VERBAND_IMAGES:-auto}
suite=bookworm
base=verband/debian:$suite

log() { printf 'images: %s\n' "$*" >&2; }

have_image() { docker image inspect "$1" >/dev/null 2>&1; }

registry=unknown
official_reachable() {
  # Once one pull has failed, the registry is taken as unreachable for the others.
  [ "$registry" = unreachable ] && return 1
  if timeout 60 docker pull -q "$1" >/dev/null 2>&1; then
    registry=reachable
    return 0
  fi
  registry=unreachable
  log "no image registry answers; building from the Debian mirror"
  return 1
}

build_debian_base() {
  have_image "$base" && return 0
  command -v debootstrap >/dev/null || { log "debootstrap is missing (apt-get install debootstrap)"; exit 1; }
  local mirror dir
  mirror=$("$here/debian-mirror.sh")
  dir=$(mktemp -d)
  log "debootstrap $suite (minbase) into $dir"
  debootstrap --variant=minbase "$suite" "$dir" "$mirror" >"$dir.log" 2>&1 || { tail -20 "$dir.log" >&2; exit 1; }
  # Security and point-release updates from the same mirror's sibling suites are not assumed;
  # the image keeps exactly the sources debootstrap wrote.
  tar -C "$dir" -c . | docker import - "$base" >/dev/null
  rm -rf "$dir" "$dir.log"
  log "built $base"
}

# A local image's tag ends in a digest of its recipe folder, so that a changed recipe makes a
# new image instead of silently reusing the one built before the change.
recipe_tag() {  # dir
  (cd "$here/$1" && find . -type f -printf "%m %p\n" | LC_ALL=C sort && find . -type f | LC_ALL=C sort | xargs sha256sum) | sha256sum | cut -c1-10
}

build_local() {  # name dir
  local name=$1 dir=$2
  have_image "$name" && [ -z "${VERBAND_REBUILD:-}" ] && { log "have $name"; return 0; }
  build_debian_base
  log "building $name from Debian packages"
  docker build -q --build-arg BASE_IMAGE="$base" -t "$name" "$here/$dir" >/dev/null
}

choose() {  # var official local dir
  local var=$1 official=$2 local_name=$3 dir=$4
  if [ "$mode" != local ] && { have_image "$official" || official_reachable "$official"; }; then
    echo "$var=$official"
    return
  fi
  if [ "$mode" = official ]; then
    log "cannot pull $official and VERBAND_IMAGES=official"; exit 1
  fi
  local_name="$local_name-$(recipe_tag "$dir")"
  build_local "$local_name" "$dir"
  echo "$var=$local_name"
}

own() {  # var name dir: an image only ever built here (no official counterpart is assumed)
  local var=$1 name="$2-$(recipe_tag "$3")" dir=$3
  build_local "$name" "$dir"
  echo "$var=$name"
}

{
  echo "# Written by deploy/images/build-base.sh: which third-party images this machine uses."
  choose POSTGRES_IMAGE postgres:16 verband/postgres:15-debian postgres
  choose RABBITMQ_IMAGE rabbitmq:3-management verband/rabbitmq:3-debian rabbitmq
  choose PYTHON_IMAGE python:3.11-slim verband/python:3.11-debian python
  # A region's cell: the pooler in front of PostgreSQL, the proxy in front of the gateways.
  own PGBOUNCER_IMAGE verband/pgbouncer:1.18-debian pgbouncer
  own HAPROXY_IMAGE verband/haproxy:2.6-debian haproxy
} > "$root/.images.env.tmp"
mv "$root/.images.env.tmp" "$root/.images.env"
cat "$root/.images.env" | grep -v '^#' >&2
