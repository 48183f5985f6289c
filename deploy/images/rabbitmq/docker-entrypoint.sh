#!/usr/bin/env bash
# Writes rabbitmq.conf from the official image's environment variables, then runs the broker
# in the foreground as the rabbitmq user.
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
mkdir -p /var/lib/rabbitmq /var/log/rabbitmq
chown -R rabbitmq:rabbitmq /var/lib/rabbitmq /var/log/rabbitmq /etc/rabbitmq
if [ "$1" = "rabbitmq-server" ]; then
  export RABBITMQ_LOGS=-   # log to stdout, as the official image does
  exec setpriv --reuid=rabbitmq --regid=rabbitmq --clear-groups -- /usr/lib/rabbitmq/bin/rabbitmq-server
fi
exec "$@"
