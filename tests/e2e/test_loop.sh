#!/usr/bin/env bash
# test_loop.sh ND-SNIFF CHEF-DIR CAPTURE: --realtime --loop replays the file
# again and again (PacketCountChef's count passes the file's own packet
# count) until stopped, then exits 0; --loop without --realtime is refused.
set -euo pipefail
sniff=$1 chefs=$2 cap=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rc=0
"$sniff" -r "$cap" --loop --stdout -m "$chefs" 2>"$tmp/err" >/dev/null || rc=$?
[ $rc -eq 2 ] || { echo "FAIL: --loop without --realtime exited $rc, not 2"; exit 1; }
grep -q -- "--loop: only applies" "$tmp/err" || { echo "FAIL: no message for --loop alone"; exit 1; }
in_file=$(/usr/bin/python3 -c "
import sys
from scapy.all import rdpcap
print(sum(1 for p in rdpcap(sys.argv[1]) if p.haslayer('TCP') or p.haslayer('UDP') or p.haslayer('ARP')))" "$cap")
"$sniff" -r "$cap" --realtime=1000 --loop --stdout -m "$chefs" -c PacketCountChef -p 0.5 \
  -n loop 2>"$tmp/err" >"$tmp/out" &
pid=$!
for _ in $(seq 100); do
  n=$(tail -n 1 "$tmp/out" | /usr/bin/python3 -c "import sys,json
l=sys.stdin.read().strip()
print(json.loads(l)['payload']['packet_counts'].get('Ethernet', 0) if l else 0)")
  [ "$n" -gt $((2 * in_file)) ] && break
  sleep 0.2
done
kill -TERM $pid
wait $pid || { echo "FAIL: nd-sniff exited $? after SIGTERM"; cat "$tmp/err"; exit 1; }
[ "$n" -gt $((2 * in_file)) ] || { echo "FAIL: counted $n packets, the file has $in_file: no loop"; exit 1; }
echo "PASS: $n packets counted from a $in_file-packet file"
