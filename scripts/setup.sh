#!/usr/bin/env bash
# setup.sh: installs every Debian package netdumplings-c needs to build, run
# and test.  Idempotent; safe to run again.  This file is the single list of
# what the project installs.
set -euo pipefail

PACKAGES=(
  # build
  build-essential cmake pkg-config clang libclang-rt-14-dev help2man groff-base
  # libraries
  libpcap-dev libwebsockets-dev libwebsockets-evlib-uv libjansson-dev
  libuv1-dev libcmocka-dev libssl-dev zlib1g-dev
  # test oracles, peers and tools
  tshark tcpdump python3 python3-websockets python3-scapy iproute2
  procps valgrind tcpreplay systemd curl iputils-ping openssl
  # scale-out
  nats-server libnats-dev
  # dashboard browser test
  chromium chromium-driver
)

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; answer for it.
echo "wireshark-common wireshark-common/install-setuid boolean false" | $SUDO debconf-set-selections
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${PACKAGES[@]}"
# Node.js runs the browser test driver; use the machine's own if it has one.
if ! command -v npm >/dev/null 2>&1; then
  $SUDO apt-get install -y -q --no-install-recommends nodejs npm
fi
# The dashboard's browser test driver: playwright-core, pinned by
# tests/browser/package-lock.json; it drives Debian's /usr/bin/chromium and
# never downloads a browser of its own.
(cd "$(dirname "$0")/../tests/browser" && npm ci --no-audit --no-fund)
