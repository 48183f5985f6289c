#!/usr/bin/env bash
# Checks, in the first seconds of `make up`, everything the stack needs on this machine: a
# reachable Docker engine, compose (v2 plugin or docker-compose 1.29+), debootstrap where the
# third-party images must be built from the Debian mirror, and Python's venv. As root it
# installs what is missing from Debian's packages and starts an installed engine that is not
# running; otherwise it names every missing piece with the command that brings it, and fails.
#
#   VERBAND_IMAGES=official   pull the official images: debootstrap is not needed
#   VERBAND_NO_INSTALL=1      never install or start anything, only check
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mode=${VERBAND_IMAGES:-auto}

say() { printf 'prerequisites: %s\n' "$*" >&2; }
can_install() { [ "$(id -u)" = 0 ] && [ -z "${VERBAND_NO_INSTALL:-}" ] && command -v apt-get >/dev/null; }

apt_updated=""
apt_install() {  # packages...
  can_install || return 1
  say "installing $* (apt-get)"
  if [ -z "$apt_updated" ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null 2>&1 || return 1
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null 2>&1
}

missing=()

# Docker: the client, and an engine that answers.
# docker.io brings both the client and the engine (dockerd).
command -v docker >/dev/null || apt_install docker.io || true
if command -v docker >/dev/null && ! docker info >/dev/null 2>&1; then
  if command -v dockerd >/dev/null && can_install; then
    say "the Docker engine does not answer; starting dockerd (log: /var/log/verband-dockerd.log)"
    nohup dockerd >/var/log/verband-dockerd.log 2>&1 &
    for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
  fi
fi
if ! command -v docker >/dev/null; then
  missing+=("a Docker engine (as root: apt-get install docker.io, then dockerd)")
elif ! docker info >/dev/null 2>&1; then
  missing+=("a running Docker engine that this user may use ('docker info' fails: start dockerd, or join the docker group)")
fi

# Compose: the v2 plugin, or the classic docker-compose from 1.29 on (compose file 3.x with
# depends_on conditions).
compose_ok() {
  docker compose version >/dev/null 2>&1 && return 0
  command -v docker-compose >/dev/null || return 1
  local v
  v=$(docker-compose version --short 2>/dev/null) || return 1
  [ "$(printf '%s\n1.29.0\n' "$v" | sort -V | head -n1)" = 1.29.0 ]
}
compose_ok || { apt_install docker-compose && compose_ok; } \
  || missing+=("compose: the docker compose v2 plugin or docker-compose >= 1.29 (as root: apt-get install docker-compose)")

# debootstrap: only when the images are to be built from the Debian mirror, i.e. unless the
# official images are wanted or already here, or the Debian base image was built before.
have_image() { docker image inspect "$1" >/dev/null 2>&1; }
needs_debootstrap() {
  [ "$mode" = official ] && return 1
  have_image verband/debian:bookworm && return 1
  [ "$mode" = local ] && return 0
  have_image postgres:16 && have_image rabbitmq:3-management && have_image python:3.11-slim && return 1
  return 0
}
if ! command -v debootstrap >/dev/null && docker info >/dev/null 2>&1 && needs_debootstrap; then
  apt_install debootstrap || true
  command -v debootstrap >/dev/null \
    || missing+=("debootstrap, to build images from the Debian mirror where no image registry answers (as root: apt-get install debootstrap; or VERBAND_IMAGES=official)")
fi
if needs_debootstrap 2>/dev/null && ! "$here/images/debian-mirror.sh" >/dev/null 2>&1; then
  missing+=("a Debian mirror in this machine's apt sources, to build the images from (or VERBAND_IMAGES=official where a registry answers)")
fi

# Python: the virtualenv for the demo loader and the wheelhouse.
python=${PYTHON:-python3}
if ! "$python" -c 'import venv, ensurepip' 2>/dev/null; then
  apt_install python3-venv || true
  "$python" -c 'import venv, ensurepip' 2>/dev/null \
    || missing+=("Python 3.11+ with venv and ensurepip (as root: apt-get install python3-venv)")
fi
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  missing+=("Python 3.11 or newer as $python (found: $("$python" --version 2>&1))")
fi

if [ ${#missing[@]} -gt 0 ]; then
  say "missing, so nothing was built or started:"
  for m in "${missing[@]}"; do printf '  - %s\n' "$m" >&2; done
  exit 1
fi
say "docker $(docker version --format '{{.Server.Version}}' 2>/dev/null), $(docker compose version --short 2>/dev/null || echo "docker-compose $(docker-compose version --short 2>/dev/null)"), $("$python" --version 2>&1): ok"
