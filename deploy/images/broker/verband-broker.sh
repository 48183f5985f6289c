#!/usr/bin/env bash
# The broker's users and their permissions, written as RabbitMQ definitions that every node
# imports at each boot (so every node of a cluster, and a node restarted with a changed
# password, has them); then the base image's own entrypoint starts RabbitMQ.
#
# Users (each password from RABBITMQ_<USER>_PASSWORD or the file RABBITMQ_<USER>_PASSWORD_FILE):
#   RABBITMQ_DEFAULT_USER   the operator: management UI, dead-letter tools; every permission
#   partners cases meetings reporting   one per service
#   gateway                 the only user that may send RPC requests to the services
#
# Who may do what (regular expressions on names; topic permissions on routing keys):
# - A service declares, binds and reads only its own queues: rpc-<svc>, its event queues
#   evt-<source>-<event>--<svc>.<handler>, and the reply queue of its health check. It binds
#   its RPC queue to nameko-rpc under <svc>.* only, so it cannot take a copy of another
#   service's requests or of anyone's replies.
# - It publishes events only to <svc>.events (nobody else can forge, say, partners'
#   role_granted), RPC replies (to reply keys) and its own health call; never to the
#   default exchange, which would reach any queue by name. Retries and parked events go
#   through verband.retry (only under its own queues' names) and verband.parking.
# - It reads (binds to) only the event exchanges of the services it listens to.
# - The gateway alone publishes RPC requests (<service>.<method>, carrying the actor), and
#   alone declares and reads its reply queues (rpc.reply-gateway-*).
set -euo pipefail

SERVICES="partners cases meetings reporting"
declare -A SOURCES=(
  [partners]="cases"
  [cases]="partners|meetings"
  [meetings]="partners|cases|reporting"
  [reporting]="partners|cases|meetings"
)
# Queues a service declares beside nameko's: reporting's feed to the IROJ hub, bound to its
# own events exchange (verband_common/iroj_feed.py). Reporting also binds to its own
# events it logs (its answers to signals, signal_answered) and those the hub receives.
declare -A EXTRA_QUEUES=([reporting]="iroj\\.feed")
declare -A OWN_BINDINGS=([reporting]="^(report_published|signal_answered)\$")
UUID='[0-9a-f-]{36}'
EVT_QUEUE='evt-[a-z_]+-[a-z_]+--'
# Not on the data volume: it holds the passwords, and is written anew at every start.
DEFINITIONS=${VERBAND_BROKER_DEFINITIONS:-/etc/rabbitmq/verband-definitions.json}

die() { echo "verband-broker: $*" >&2; exit 78; }

secret() {  # NAME -> value of $NAME or of the file $NAME_FILE
  local name=$1 file_var="${1}_FILE"
  if [ -n "${!file_var:-}" ]; then
    [ -z "${!name:-}" ] || die "both $name and $file_var are set: set only one"
    [ -r "${!file_var}" ] || die "$file_var names ${!file_var}, which cannot be read"
    local value; value=$(cat "${!file_var}"); printf '%s' "${value%$'\n'}"
  else
    printf '%s' "${!name:-}"
  fi
}

json() {  # a JSON string of $1
  local s=${1//\\/\\\\}; s=${s//\"/\\\"}
  printf '"%s"' "$s"
}

user_entry() {  # name password tags
  printf '{"name": %s, "password": %s, "tags": %s}' "$(json "$1")" "$(json "$2")" "$(json "$3")"
}

permission() {  # user configure write read
  printf '{"user": %s, "vhost": "/", "configure": %s, "write": %s, "read": %s}' \
    "$(json "$1")" "$(json "$2")" "$(json "$3")" "$(json "$4")"
}

topic() {  # user exchange write read
  printf '{"user": %s, "vhost": "/", "exchange": %s, "write": %s, "read": %s}' \
    "$(json "$1")" "$(json "$2")" "$(json "$3")" "$(json "$4")"
}

operator=$(secret RABBITMQ_DEFAULT_USER); operator=${operator:-guest}
operator_pass=$(secret RABBITMQ_DEFAULT_PASS); operator_pass=${operator_pass:-guest}

users=("$(user_entry "$operator" "$operator_pass" administrator)")
permissions=("$(permission "$operator" '.*' '.*' '.*')")
topics=()

for svc in $SERVICES gateway; do
  var="RABBITMQ_$(echo "$svc" | tr '[:lower:]' '[:upper:]')_PASSWORD"
  pass=$(secret "$var")
  [ -n "$pass" ] || die "$var (or ${var}_FILE) is not set: the $svc user needs a password"
  users+=("$(user_entry "$svc" "$pass" "")")
done

for svc in $SERVICES; do
  own="rpc-$svc|${EVT_QUEUE}$svc\\.[a-z_]+|rpc\\.reply-health-$svc-$UUID"
  [ -z "${EXTRA_QUEUES[$svc]:-}" ] || own="$own|${EXTRA_QUEUES[$svc]}"
  sources=${SOURCES[$svc]}
  # Binding a queue to its own events exchange (reporting's feed) needs read on it.
  readable=$sources
  [ -z "${OWN_BINDINGS[$svc]:-}" ] || readable="$svc|$sources"
  permissions+=("$(permission "$svc" \
    "^($own|nameko-rpc|($svc|$sources)\\.events|verband\\.retry|verband\\.parking|verband\\.dead-letters)\$" \
    "^($own|nameko-rpc|$svc\\.events|verband\\.retry|verband\\.parking|verband\\.dead-letters)\$" \
    "^($own|nameko-rpc|($readable)\\.events|verband\\.retry|verband\\.parking)\$")")
  # RPC: replies to any caller's reply key (named ones, and the bare ones of nameko's
  # standalone proxies an operator's tools use) and its own health call; binds only <svc>.*
  # and its health check's reply key.
  topics+=("$(topic "$svc" nameko-rpc "^(([a-z-]+-reply-)?$UUID|$svc\\.health)\$" \
    "^($svc\\.\\*|health-$svc-reply-$UUID)\$")")
  topics+=("$(topic "$svc" verband.retry "^${EVT_QUEUE}$svc\\.[a-z_]+\$" "^${EVT_QUEUE}$svc\\.[a-z_]+\$")")
  topics+=("$(topic "$svc" "$svc.events" '.*' "${OWN_BINDINGS[$svc]:-^\$}")")
done

gateway_own="rpc\\.reply-gateway-$UUID"
permissions+=("$(permission gateway "^($gateway_own|nameko-rpc)\$" "^($gateway_own|nameko-rpc)\$" \
  "^($gateway_own|nameko-rpc)\$")")
topics+=("$(topic gateway nameko-rpc "^(${SERVICES// /|})\\.[a-z_]+\$" "^gateway-reply-$UUID\$")")

join() { local IFS=,; echo "$*"; }
umask 077
mkdir -p "$(dirname "$DEFINITIONS")"
cat > "$DEFINITIONS" <<JSON
{
  "vhosts": [{"name": "/"}],
  "users": [$(join "${users[@]}")],
  "permissions": [$(join "${permissions[@]}")],
  "topic_permissions": [$(join "${topics[@]}")]
}
JSON
chown rabbitmq:rabbitmq "$DEFINITIONS" 2>/dev/null || true
# Imported at every boot; with definitions to load, RabbitMQ makes no default user itself.
export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="${RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS:-} -rabbit load_definitions \"$DEFINITIONS\""
exec /usr/local/bin/docker-entrypoint.sh "$@"
