#!/usr/bin/env bash
# Waits until every named compose service reports healthy; on timeout names what did not
# come up and shows its last log lines, and exits non-zero.
set -uo pipefail
compose=$1; shift
deadline=$(( $(date +%s) + ${WAIT_TIMEOUT:-240} ))
while :; do
  pending=()
  for svc in "$@"; do
    ids=$($compose ps -q "$svc" 2>/dev/null)
    [ -n "$ids" ] || { pending+=("$svc(not started)"); continue; }
    for id in $ids; do
      state=$(docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}' "$id" 2>/dev/null)
      [ "$state" = healthy ] || pending+=("$svc($state)")
    done
  done
  [ ${#pending[@]} -eq 0 ] && { echo "stack: healthy"; exit 0; }
  if [ "$(date +%s)" -ge "$deadline" ]; then
    echo "stack: not healthy after ${WAIT_TIMEOUT:-240}s: ${pending[*]}" >&2
    for p in "${pending[@]}"; do
      svc=${p%%(*}
      echo "--- last log lines of $svc:" >&2
      $compose logs --tail=20 "$svc" >&2 || true
    done
    exit 1
  fi
  sleep 3
done
