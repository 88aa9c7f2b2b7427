#!/usr/bin/env bash
# Waits until cloud-init has finished on the build instance, so apt and the network are ready.
set -o nounset -o errexit -o pipefail

if command -v cloud-init >/dev/null 2>&1; then
  cloud-init status --wait >/dev/null || true
fi
for _ in $(seq 1 60); do
  if ! fuser /var/lib/dpkg/lock-frontend >/dev/null 2>&1; then
    exit 0
  fi
  sleep 5
done
echo "dpkg stayed locked for 5 minutes" >&2
exit 1
