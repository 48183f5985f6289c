#!/usr/bin/env bash
# Checks a running stack the way a newcomer would after `make up`: /health says every service
# is ok, and a demo account signs in through the JSON API and sees its network.
#   deploy/smoke.sh [GATEWAY_URL]     (default http://localhost:${GATEWAY_PORT:-8080})
set -euo pipefail
url=${1:-http://localhost:${GATEWAY_PORT:-8080}}
py=${PYTHON:-python3}

fail() { printf 'smoke: FAILED: %s\n' "$*" >&2; exit 1; }

health=$(curl -sS --max-time 20 "$url/health") || fail "GET $url/health did not answer"
"$py" -c 'import json,sys; b=json.loads(sys.argv[1]); sys.exit(b.get("status") != "ok")' "$health" \
  || fail "GET $url/health: $health"
echo "smoke: /health ok"

token=$(curl -sS --max-time 20 -X POST "$url/api/auth/login" -H 'Content-Type: application/json' \
  -d '{"email": "coordinator@detafels.demo", "password": "demo-verband-2026!"}' \
  | "$py" -c 'import json,sys; print(json.load(sys.stdin)["token"])') \
  || fail "the demo coordinator of RTJ De Tafels could not sign in at $url/api/auth/login"
me=$(curl -sS --max-time 20 "$url/api/auth/me" -H "Authorization: Bearer $token") \
  || fail "GET $url/api/auth/me did not answer"
"$py" -c '
import json, sys
me = json.loads(sys.argv[1])
names = [m.get("network_name", "") for m in me.get("memberships", [])]
sys.exit(0 if any("De Tafels" in n for n in names) else f"signed in, but no De Tafels network in {me}")
' "$me" || fail "the demo sign-in does not show the network"
echo "smoke: demo sign-in ok (coordinator@detafels.demo sees RTJ De Tafels)"
