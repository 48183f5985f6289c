#!/usr/bin/env bash
# Prints the Debian mirror this machine's apt already uses, so that no mirror is ever written
# into the repository. Deb822 sources first, then the classic one-line format.
set -euo pipefail
mirror=""
for f in /etc/apt/sources.list.d/*.sources; do
  [ -f "$f" ] || continue
  mirror=$(awk '
    /^URIs:/ { uri=$2 }
    /^Suites:/ { for (i=2; i<=NF; i++) if ($i=="bookworm") ok=1 }
    /^$/ { if (ok && uri!="") { print uri; exit } ; uri=""; ok=0 }
    END { if (ok && uri!="") print uri }' "$f" | head -n1)
  [ -n "$mirror" ] && break
done
if [ -z "$mirror" ] && [ -f /etc/apt/sources.list ]; then
  mirror=$(awk '$1=="deb" && $0 !~ /security/ { for (i=2;i<=NF;i++) if ($i ~ /^https?:/) { print $i; exit } }' /etc/apt/sources.list)
fi
if [ -z "$mirror" ]; then
  echo "debian-mirror: no Debian mirror found in this machine's apt sources" >&2
  exit 1
fi
echo "$mirror"
