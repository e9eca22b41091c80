#!/usr/bin/env bash
# test_demo.sh BUILD_DIR: runs README's demo command (scripts/demo.sh) for a
# few seconds against the programs of BUILD_DIR, on free ports, and checks
# that dumplings from the demo kitchen reached nd-print, that the dashboard
# is served, and that Ctrl-C (SIGINT) stops every process it started.
set -euo pipefail
build=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
in_port=$(port) out_port=$(port)

# As from a terminal: its own process group with SIGINT not ignored (a
# background job of a script would start with SIGINT ignored), so that
# Ctrl-C can be sent to the whole group below.
ND_DEMO_BUILD_DIR="$build" ND_DEMO_IN_PORT=$in_port ND_DEMO_OUT_PORT=$out_port \
  setsid /usr/bin/python3 -c 'import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.execvp("bash", ["bash", sys.argv[1]])' "$root/scripts/demo.sh" >"$tmp/out" 2>&1 &
demo=$!
ok=0
for _ in $(seq 150); do
  if [ "$(grep -c 'DNSLookupChef from demo-kitchen' "$tmp/out")" -ge 3 ] &&
     grep -q 'PacketCountChef from demo-kitchen' "$tmp/out"; then ok=1; break; fi
  kill -0 $demo 2>/dev/null || break
  sleep 0.2
done
page=$(curl -s --max-time 5 "http://127.0.0.1:$out_port/" || true)
kill -INT -- -$demo 2>/dev/null || true   # Ctrl-C: the whole process group
for _ in $(seq 100); do kill -0 $demo 2>/dev/null || break; sleep 0.1; done
if kill -0 $demo 2>/dev/null; then
  kill -KILL -- -$demo 2>/dev/null || true
  echo "FAIL: demo.sh did not stop on SIGINT"; cat "$tmp/out"; exit 1
fi
if [ $ok -ne 1 ]; then
  echo "FAIL: dumplings from the demo kitchen did not reach nd-print"; cat "$tmp/out"; exit 1
fi
grep -q "dashboard: http://localhost:$out_port/" "$tmp/out" || { echo "FAIL: no dashboard URL"; exit 1; }
case "$page" in *"<html"*|*"<!doctype"*|*"<!DOCTYPE"*) ;; *) echo "FAIL: no dashboard page at /"; exit 1 ;; esac
sleep 0.5
if pgrep -f -- "-port $in_port" >/dev/null || pgrep -f -- "localhost:$in_port" >/dev/null ||
   pgrep -f -- "localhost:$out_port" >/dev/null; then
  echo "FAIL: processes of the demo are still running after SIGINT"
  pgrep -af -- "$in_port|$out_port"; exit 1
fi
grep -q "demo: stopped" "$tmp/out" || { echo "FAIL: demo did not report stopping"; cat "$tmp/out"; exit 1; }
echo "PASS: $(grep -c ' from demo-kitchen' "$tmp/out") dumplings printed; stopped cleanly"
