#!/usr/bin/env bash
# Runs one region's cell with Docker Compose: deploy/cells/cell.sh REGION COMMAND
#
#   up        start (or update) the cell, each service at its <SERVICE>_REPLICAS, and wait
#             until every replica is healthy
#   down      stop it (VOLUMES=1 also drops its data)
#   ps, logs  what runs, and its logs
#   secrets   write the secrets Verband itself owns (broker, database, session key, first
#             admin) as random values into SECRETS_DIR, where missing; the ones the region's
#             providers issue (oidc_client_secret, smtp_password) are only named
#   bootstrap-admin  once, after the first up: make the first platform admin
#             (VERBAND_ADMIN_EMAIL, its password the verband_admin_password secret, on stdin)
#   compose   any other docker-compose command, e.g. `compose exec cases sh`
#
# Settings come from deploy/regions/REGION.env; a variable already set in the environment
# wins (e.g. SECRETS_DIR=build/secrets/limburg for a trial). Secrets are read from the files
# in SECRETS_DIR, one file per secret, and never written anywhere else.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
region=${1:?usage: cell.sh REGION up|down|ps|logs|secrets|bootstrap-admin|compose ...}
command=${2:?usage: cell.sh REGION up|down|ps|logs|secrets|bootstrap-admin|compose ...}
shift 2
settings="$root/deploy/regions/$region.env"
[ -f "$settings" ] || {
  echo "cell: no region '$region' (one of: $(cd "$root/deploy/regions" && ls *.env | sed 's/\.env$//' | tr '\n' ' '))" >&2
  exit 2
}

# KEY=value lines, read as data (values may hold spaces), not run as shell.
while IFS= read -r line || [ -n "$line" ]; do
  case "$line" in ''|'#'*) continue ;; esac
  key=${line%%=*}
  value=${line#*=}
  [[ $key =~ ^[A-Z][A-Z0-9_]*$ ]] || { echo "cell: $settings: bad line: $line" >&2; exit 2; }
  [ -z "${!key+set}" ] && export "$key=$value"
done < "$settings"
# An empty OIDC_ISSUER means password sign-in only: the client id goes with it.
[ -z "${OIDC_ISSUER:-}" ] && export OIDC_CLIENT_ID=
[ -f "$root/.images.env" ] && { set -a; . "$root/.images.env"; set +a; }
case "$SECRETS_DIR" in /*) ;; *) SECRETS_DIR="$root/$SECRETS_DIR" ;; esac
export COMPOSE_PROJECT_NAME=${COMPOSE_PROJECT_NAME:-verband-$region}
if docker compose version >/dev/null 2>&1; then
  compose=(docker compose -f "$here/cell.yml" --project-directory "$here")
else
  compose=(docker-compose -f "$here/cell.yml" --project-directory "$here")
fi

# secret file -> variable. Required ones must exist; optional ones only when their
# setting asks for them.
owned=(rabbitmq_password rabbitmq_partners_password rabbitmq_cases_password
       rabbitmq_meetings_password rabbitmq_reporting_password rabbitmq_gateway_password
       rabbitmq_erlang_cookie postgres_password partners_db_password
       cases_db_password meetings_db_password reporting_db_password secret_key
       verband_admin_password)
issued=()
[ -n "${OIDC_ISSUER:-}" ] && issued+=(oidc_client_secret)
[ -n "${SMTP_USER:-}" ] && issued+=(smtp_password)
# The IROJ hub's IT issues the feed's login on the hub's broker.
[ -n "${IROJ_HUB_AMQP_HOST:-}" ] && issued+=(iroj_hub_amqp_password)

generate_secrets() {
  mkdir -p "$SECRETS_DIR"
  chmod 700 "$SECRETS_DIR"
  for name in "${owned[@]}"; do
    [ -s "$SECRETS_DIR/$name" ] && continue
    (umask 077; od -An -N24 -tx1 /dev/urandom | tr -d ' \n' > "$SECRETS_DIR/$name")
    echo "cell: wrote $SECRETS_DIR/$name"
  done
  for name in "${issued[@]}"; do
    [ -s "$SECRETS_DIR/$name" ] || echo "cell: put the $name your provider issued in $SECRETS_DIR/$name"
  done
}

load_secrets() {  # [lenient]: down, ps and logs do without the missing ones
  local missing=()
  for name in "${owned[@]}" "${issued[@]}"; do
    if [ -s "$SECRETS_DIR/$name" ]; then
      export "${name^^}=$(cat "$SECRETS_DIR/$name")"
    else
      missing+=("$name")
    fi
  done
  if [ ${#missing[@]} -gt 0 ] && [ "${1:-}" != lenient ]; then
    echo "cell: missing secrets in $SECRETS_DIR: ${missing[*]}" >&2
    echo "cell: 'make cell-secrets REGION=$region' writes the ones Verband owns" >&2
    exit 1
  fi
}

services=(partners cases meetings reporting gateway)
case "$command" in
  secrets)
    generate_secrets
    ;;
  up)
    load_secrets
    scale=()
    running=()
    for svc in "${services[@]}"; do
      var="${svc^^}_REPLICAS"
      n=${!var:-1}
      scale+=(--scale "$svc=$n")
      [ "$n" -gt 0 ] && running+=("$svc")
    done
    "${compose[@]}" up -d --remove-orphans "${scale[@]}" "$@"
    "$root/deploy/wait-healthy.sh" "${compose[*]}" rabbitmq-1 rabbitmq-2 rabbitmq-3 "${running[@]}"
    if [ -n "${IROJ_HUB_AMQP_HOST:-}" ]; then
      # The shovel that carries the cell's published reports to the IROJ hub.
      printf '%s\n%s\n' "$RABBITMQ_PASSWORD" \
        "amqp://${IROJ_HUB_AMQP_USER}:${IROJ_HUB_AMQP_PASSWORD}@${IROJ_HUB_AMQP_HOST}:${IROJ_HUB_AMQP_PORT:-5672}/%2F" |
        "${compose[@]}" exec -T reporting python -m verband_common.iroj_feed \
          --management http://rabbitmq-1:15672 --user "${RABBITMQ_USER:-verband}"
    fi
    echo "cell $region ($REGION_NAME) runs at http://${GATEWAY_BIND:-127.0.0.1}:$GATEWAY_PORT/ (public address $PUBLIC_URL)"
    ;;
  down)
    load_secrets lenient
    "${compose[@]}" down ${VOLUMES:+--volumes} "$@"
    ;;
  ps|logs)
    load_secrets lenient
    "${compose[@]}" "$command" "$@"
    ;;
  bootstrap-admin)
    load_secrets
    printf '%s' "$VERBAND_ADMIN_PASSWORD" \
      | "${compose[@]}" exec -T partners python -m partners.bootstrap --email "$VERBAND_ADMIN_EMAIL"
    ;;
  compose)
    load_secrets
    "${compose[@]}" "$@"
    ;;
  *)
    echo "cell: unknown command '$command'" >&2
    exit 2
    ;;
esac
