#!/usr/bin/env bash
# One database and one login per service, so that no service can read another's tables.
# Passwords come from the file named by <SERVICE>_DB_PASSWORD_FILE (a Docker or Kubernetes
# secret) or from <SERVICE>_DB_PASSWORD (default: the service name, for the demo only).
set -euo pipefail
for svc in ${VERBAND_SERVICES:-partners cases meetings reporting}; do
  var=$(echo "${svc}_DB_PASSWORD" | tr '[:lower:]' '[:upper:]')
  file_var="${var}_FILE"
  if [ -n "${!file_var:-}" ]; then
    pass=$(cat "${!file_var}")
  else
    pass=${!var:-$svc}
  fi
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
       -v svc="$svc" -v pass="$pass" <<'SQL'
CREATE ROLE :"svc" LOGIN PASSWORD :'pass';
CREATE DATABASE :"svc" OWNER :"svc";
REVOKE ALL ON DATABASE :"svc" FROM PUBLIC;
SQL
done
