#!/bin/sh
# One broker user per service and one for the gateway, with the passwords of the Secret
# verband-broker (mounted at /run/secrets/broker). Idempotent: run again after a password
# changes. rabbitmqctl reaches the node over Erlang distribution with the cluster's cookie,
# so no broker user is needed to create the others and none is left with a known password.
set -eu
# rabbitmqctl reads the cluster's cookie from $HOME/.erlang.cookie, readable by its owner only.
install -m 0400 /run/secrets/broker/erlang-cookie "$HOME/.erlang.cookie"
node="rabbit@rabbitmq-0.rabbitmq-nodes.${POD_NAMESPACE}.svc.cluster.local"
ctl() { rabbitmqctl --longnames -n "$node" -q "$@"; }
until ctl await_startup >/dev/null 2>&1; do echo "waiting for $node"; sleep 5; done
# No account with the well-known default password stays behind.
ctl delete_user guest >/dev/null 2>&1 || true
for user in partners cases meetings reporting gateway; do
  pass=$(cat "/run/secrets/broker/$user-password")
  if ctl list_users --formatter json | grep -q "\"user\":\"$user\""; then
    printf '%s' "$pass" | ctl change_password "$user"
  else
    printf '%s' "$pass" | ctl add_user "$user"
  fi
  ctl set_permissions -p / "$user" '.*' '.*' '.*'
  echo "broker user $user ready"
done
