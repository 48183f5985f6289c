#!/usr/bin/env bash
# Restores the service databases from a directory written by deploy/backup.sh, after checking
# every file against its SHA-256 checksum (nothing is touched when one does not match).
# Each database is replaced whole in one transaction (pg_restore --clean --single-transaction):
# it ends as it was in the backup, or as it was before.
#
#   deploy/restore.sh [--verify-only] DIR
#   PG_EXEC   as for deploy/backup.sh
#
# The services must not run meanwhile: `make restore FROM=DIR` stops them first and starts
# them again after.
set -euo pipefail
verify_only=""
[ "${1:-}" = --verify-only ] && { verify_only=1; shift; }
dir=${1:?usage: deploy/restore.sh [--verify-only] DIR}
[ -f "$dir/SHA256SUMS" ] && [ -f "$dir/manifest.json" ] \
  || { echo "restore: $dir has no SHA256SUMS and manifest.json: not a backup of deploy/backup.sh" >&2; exit 1; }
(cd "$dir" && sha256sum --quiet --strict -c SHA256SUMS) \
  || { echo "restore: $dir does not match its checksums; nothing restored" >&2; exit 1; }
echo "restore: checksums of $dir ok"
[ -n "$verify_only" ] && exit 0

pg_exec=${PG_EXEC:?PG_EXEC must say how to run a command in the PostgreSQL container}
while read -r _ file; do
  svc=${file%.dump}
  # Connections left by a stopped service would hold locks on the tables being replaced.
  $pg_exec psql -U postgres -q -At -v ON_ERROR_STOP=1 -v db="$svc" -d postgres >/dev/null <<'SQL'
SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :'db' AND pid <> pg_backend_pid();
SQL
  $pg_exec pg_restore -U postgres --clean --if-exists --single-transaction --exit-on-error \
    -d "$svc" <"$dir/$file"
  echo "restore: $svc <- $dir/$file"
done <"$dir/SHA256SUMS"
echo "restore: done from $dir"
