#!/usr/bin/env bash
# make-demo-capture.sh [GENCAP]: regenerate demo/demo.pcap, the small capture
# the demo replays: about 100 seconds of mixed traffic (DNS, ARP, TLS, HTTP,
# TCP and UDP flows, IPv4 and IPv6, VLAN-tagged frames) at ~20 packets/s.
# GENCAP is the nd-gencap binary (default: build/tools/gencap/nd-gencap).
set -euo pipefail
cd "$(dirname "$0")/.."
gencap=${1:-build/tools/gencap/nd-gencap}
"$gencap" --out demo/demo.pcap --truth demo/demo.truth.json --count 2000 \
  --rate 20 --seed 2026 --profile mixed
echo "wrote demo/demo.pcap and demo/demo.truth.json"
