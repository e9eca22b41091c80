#!/usr/bin/env bash
# verify_units.sh UNIT_DIR HUB_BIN SNIFF_BIN
# Runs systemd-analyze verify on the generated units, pointed at the
# binaries of this build, and fails on any warning (unknown keys are only
# warnings to systemd-analyze).
set -euo pipefail
units=$1 hub=$2 sniff=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sed "s#^ExecStart=[^ ]*/nd-hub#ExecStart=$hub#" "$units/nd-hub.service" >"$tmp/nd-hub.service"
sed "s#^ExecStart=[^ ]*/nd-sniff#ExecStart=$sniff#" "$units/nd-sniff@.service" >"$tmp/nd-sniff@.service"
cp "$tmp/nd-sniff@.service" "$tmp/nd-sniff@eth0.service"
grep -q "^ExecStart=$hub " "$tmp/nd-hub.service"
grep -q "^ExecStart=$sniff " "$tmp/nd-sniff@eth0.service"
out=$(systemd-analyze verify --man=no "$tmp/nd-hub.service" "$tmp/nd-sniff@eth0.service" 2>&1) || {
  echo "$out"; echo "systemd-analyze verify failed"; exit 1; }
if [ -n "$out" ]; then
  echo "$out"; echo "systemd-analyze verify printed warnings"; exit 1
fi
# The hardening we promise is really there.
for want in DynamicUser=yes NoNewPrivileges=yes ProtectSystem=strict PrivateTmp=yes Restart=on-failure; do
  grep -qx "$want" "$tmp/nd-hub.service" || { echo "nd-hub.service lacks $want"; exit 1; }
  grep -qx "$want" "$tmp/nd-sniff@eth0.service" || { echo "nd-sniff@.service lacks $want"; exit 1; }
done
grep -qx "CapabilityBoundingSet=CAP_NET_RAW CAP_NET_ADMIN" "$tmp/nd-sniff@eth0.service"
grep -qx "CapabilityBoundingSet=" "$tmp/nd-hub.service"
echo "units verified"
