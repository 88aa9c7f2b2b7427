#!/usr/bin/env bash
# Removes everything that must not be shared by every instance launched from the image:
# SSH host keys, cloud-init state, machine id, logs, apt caches, shell history and the
# key Packer connected with. Runs as root, last before validate.sh.
set -o nounset -o errexit -o pipefail

apt-get -y autoremove --purge
apt-get -y clean
rm -rf /var/lib/apt/lists/*

rm -f /etc/ssh/ssh_host_*
cloud-init clean --logs --seed
rm -rf /var/lib/cloud/instances /var/lib/cloud/instance

truncate -s 0 /etc/machine-id
rm -f /var/lib/dbus/machine-id

find /var/log -type f -name '*.gz' -delete
find /var/log -type f -exec truncate -s 0 {} +
journalctl --rotate >/dev/null 2>&1 || true
journalctl --vacuum-time=1s >/dev/null 2>&1 || true

rm -rf /tmp/* /var/tmp/*
rm -f /root/.bash_history /home/*/.bash_history
for keys in /root/.ssh/authorized_keys /home/*/.ssh/authorized_keys; do
  if [ -f "$keys" ]; then
    rm -f "$keys"
  fi
done
sync
