#!/usr/bin/env bash
# Writes pgbouncer.ini and its user list from the environment, then runs PgBouncer in the
# foreground as the postgres user.
#
#   PGBOUNCER_DATABASES="partners cases meetings reporting"  one database and login each,
#       the login's password in <NAME>_DB_PASSWORD (or the file in <NAME>_DB_PASSWORD_FILE)
#   POSTGRES_HOST / POSTGRES_PORT       the server (postgres / 5432)
#   PGBOUNCER_POOL_SIZE                 server connections per database (20)
#   PGBOUNCER_MAX_CLIENT_CONN           client connections in all (2000)
#
# Transaction pooling: a server connection serves one transaction at a time, so the
# services' replicas (each with its own pool of client connections) share a few server
# connections. The services run with DB_PREPARED_STATEMENTS=off (PgBouncer 1.18 does not
# carry prepared statements across server connections) and take only transaction-scoped
# advisory locks.
set -euo pipefail
: "${PGBOUNCER_DATABASES:?list the databases to pool in PGBOUNCER_DATABASES}"
host=${POSTGRES_HOST:-postgres}
port=${POSTGRES_PORT:-5432}
ini=/etc/pgbouncer/pgbouncer.ini
users=/etc/pgbouncer/userlist.txt
umask 077
{
  echo "[databases]"
  for db in $PGBOUNCER_DATABASES; do
    echo "$db = host=$host port=$port dbname=$db"
  done
  cat <<INI
[pgbouncer]
listen_addr = 0.0.0.0
listen_port = 6432
unix_socket_dir =
auth_type = scram-sha-256
auth_file = $users
pool_mode = transaction
default_pool_size = ${PGBOUNCER_POOL_SIZE:-20}
min_pool_size = 2
reserve_pool_size = 5
max_client_conn = ${PGBOUNCER_MAX_CLIENT_CONN:-2000}
server_reset_query =
ignore_startup_parameters = extra_float_digits
server_connect_timeout = 5
server_login_retry = 1
log_connections = 0
log_disconnections = 0
INI
} > "$ini"
: > "$users"
for db in $PGBOUNCER_DATABASES; do
  var="${db^^}_DB_PASSWORD"
  file_var="${var}_FILE"
  if [ -n "${!file_var:-}" ]; then
    password=$(cat "${!file_var}")
  else
    password=${!var:-}
  fi
  [ -n "$password" ] || { echo "pgbouncer: $var (or $file_var) is not set" >&2; exit 1; }
  printf '"%s" "%s"\n' "$db" "${password//\"/\"\"}" >> "$users"
done
chown postgres:postgres "$ini" "$users"
if [ "$1" = "pgbouncer" ]; then
  exec setpriv --reuid=postgres --regid=postgres --clear-groups -- /usr/sbin/pgbouncer "$ini"
fi
exec "$@"
