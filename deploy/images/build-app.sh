#!/usr/bin/env bash
# Builds Verband's own images (runtime, the four services, the gateway) on top of the Python
# image named in .images.env. Quiet on success; on failure prints docker's output and fails.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
tag=${VERBAND_TAG:-dev}
set -a; source "$root/.images.env"; set +a

build() {  # name, docker build args...
  local name=$1; shift
  echo "images: $name"
  local out
  if ! out=$(docker build -q "$@" "$root" 2>&1); then
    echo "$out" >&2
    echo "images: building $name failed" >&2
    exit 1
  fi
}

build "verband/runtime:$tag" -f "$root/deploy/images/runtime/Dockerfile" \
  --build-arg PYTHON_IMAGE="$PYTHON_IMAGE" -t "verband/runtime:$tag"
for svc in partners cases meetings reporting; do
  build "verband/$svc:$tag" -f "$root/deploy/images/service/Dockerfile" \
    --build-arg RUNTIME_IMAGE="verband/runtime:$tag" --build-arg SERVICE="$svc" -t "verband/$svc:$tag"
done
# The broker: the chosen RabbitMQ image plus Verband's users and their permissions.
build "verband/broker:$tag" -f "$root/deploy/images/broker/Dockerfile" \
  --build-arg RABBITMQ_IMAGE="$RABBITMQ_IMAGE" -t "verband/broker:$tag"
build "verband/gateway:$tag" -f "$root/deploy/images/gateway/Dockerfile" \
  --build-arg RUNTIME_IMAGE="verband/runtime:$tag" -t "verband/gateway:$tag"
