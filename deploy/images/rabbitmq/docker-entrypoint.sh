#!/usr/bin/env bash
# Writes rabbitmq.conf from the official image's environment variables, then runs the broker
# in the foreground as the rabbitmq user.
#
# Clustering (a region's cell runs three nodes):
#   RABBITMQ_ERLANG_COOKIE (or RABBITMQ_ERLANG_COOKIE_FILE)  the secret every node shares
#   RABBITMQ_CLUSTER_NODES="rabbit@rabbitmq-1 rabbit@rabbitmq-2 rabbit@rabbitmq-3"
# A node started with its data directory empty joins the first of those nodes it reaches
# (RabbitMQ's own peer discovery, classic config); a node that was a member rejoins by itself.
# Start the first node alone and the others once it answers, so that they find it.
set -euo pipefail
: "${RABBITMQ_DEFAULT_USER:=guest}"
: "${RABBITMQ_DEFAULT_PASS:=guest}"
cat > /etc/rabbitmq/rabbitmq.conf <<CONF
loopback_users = none
default_user = ${RABBITMQ_DEFAULT_USER}
default_pass = ${RABBITMQ_DEFAULT_PASS}
listeners.tcp.default = 5672
management.tcp.port = 15672
CONF
if [ -n "${RABBITMQ_CLUSTER_NODES:-}" ]; then
  {
    echo "cluster_formation.peer_discovery_backend = classic_config"
    i=0
    for node in $RABBITMQ_CLUSTER_NODES; do
      i=$((i + 1))
      echo "cluster_formation.classic_config.nodes.$i = $node"
    done
    # Keep trying to reach a peer for a minute before starting alone.
    echo "cluster_formation.discovery_retry_limit = 60"
    echo "cluster_formation.discovery_retry_interval = 1000"
    # A node cut off from the majority stops serving rather than splitting the cluster.
    echo "cluster_partition_handling = pause_minority"
  } >> /etc/rabbitmq/rabbitmq.conf
fi
mkdir -p /var/lib/rabbitmq /var/log/rabbitmq
cookie=${RABBITMQ_ERLANG_COOKIE:-}
if [ -n "${RABBITMQ_ERLANG_COOKIE_FILE:-}" ]; then
  cookie=$(cat "$RABBITMQ_ERLANG_COOKIE_FILE")
fi
if [ -n "$cookie" ]; then
  umask 077
  printf '%s' "$cookie" > /var/lib/rabbitmq/.erlang.cookie
  umask 022
fi
chown -R rabbitmq:rabbitmq /var/lib/rabbitmq /var/log/rabbitmq /etc/rabbitmq
[ -f /var/lib/rabbitmq/.erlang.cookie ] && chmod 400 /var/lib/rabbitmq/.erlang.cookie
if [ "$1" = "rabbitmq-server" ]; then
  export RABBITMQ_LOGS=-   # log to stdout, as the official image does
  exec setpriv --reuid=rabbitmq --regid=rabbitmq --clear-groups -- /usr/lib/rabbitmq/bin/rabbitmq-server
fi
exec "$@"
