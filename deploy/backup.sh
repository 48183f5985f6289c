#!/usr/bin/env bash
# Backs up every service's database, one file each, with pg_dump run inside the PostgreSQL
# container (so the dump matches the server's version), plus a manifest and SHA-256 checksums.
#
#   deploy/backup.sh [DIR]        default DIR: backups/<UTC time>
#   PG_EXEC   how to run a command in the PostgreSQL container (make backup sets it from
#             compose: "docker compose exec -T postgres"; a test: "docker exec -i ID")
#   VERBAND_SERVICES   the databases (default: partners cases meetings reporting)
#
# Each database is dumped in one snapshot (consistent in itself) while the stack runs. Across
# databases the dumps are seconds apart; on restore, events still in an outbox are sent again
# and consumers skip what their inbox already holds.
set -euo pipefail
pg_exec=${PG_EXEC:?PG_EXEC must say how to run a command in the PostgreSQL container}
services=${VERBAND_SERVICES:-partners cases meetings reporting}
dir=${1:-backups/$(date -u +%Y%m%dT%H%M%SZ)}

[ -e "$dir" ] && { echo "backup: $dir exists already; give another directory" >&2; exit 1; }
mkdir -p "$dir"
# Family data: readable by the owner only.
chmod 700 "$dir"
umask 077
server=$($pg_exec psql -U postgres -At -c 'SHOW server_version' </dev/null)
dumps=()
for svc in $services; do
  # Custom format: compressed, and pg_restore can restore it whole or in part.
  $pg_exec pg_dump -U postgres --format=custom --no-password "$svc" </dev/null >"$dir/$svc.dump"
  [ -s "$dir/$svc.dump" ] || { echo "backup: the dump of $svc is empty" >&2; exit 1; }
  dumps+=("$svc.dump")
  echo "backup: $svc -> $dir/$svc.dump ($(wc -c <"$dir/$svc.dump") bytes)"
done
(cd "$dir" && sha256sum "${dumps[@]}" >SHA256SUMS)
{
  printf '{\n  "created_at": "%s",\n  "postgres_server_version": "%s",\n  "format": "pg_dump custom",\n  "databases": [' \
    "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$server"
  sep=""
  for svc in $services; do
    printf '%s\n    {"database": "%s", "file": "%s.dump", "bytes": %s, "sha256": "%s"}' "$sep" "$svc" "$svc" \
      "$(wc -c <"$dir/$svc.dump")" "$(sha256sum "$dir/$svc.dump" | cut -d' ' -f1)"
    sep=","
  done
  printf '\n  ]\n}\n'
} >"$dir/manifest.json"
echo "backup: done: $dir (manifest.json, SHA256SUMS)"
