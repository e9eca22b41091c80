#!/bin/bash
# bench/nats/run.sh: dumplings per second through one hub and from hub to
# hub through NATS, on loopback, with the same load generator.
#
#   bench/nats/run.sh BUILD_DIR [-k KITCHENS] [-e EATERS] [-n PER_KITCHEN] [-s SIZE] [--cluster]
#
# Starts nats-server (one node, or with --cluster three routed nodes with
# hub B on another node than hub A), a hub without NATS, hub A and hub B
# with --nats, then runs nd-nats-bench three times: kitchens and eaters on
# the plain hub, on hub A (single hub that also publishes), and kitchens on
# hub A with eaters on hub B (hub to hub).  Prints both
# figures and the hubs' NATS counters.  Everything runs in a temp dir and
# is stopped on exit.  Nothing here asserts performance.
set -u
BUILD=${1:?usage: run.sh BUILD_DIR [-k K] [-e E] [-n N] [-s SIZE] [--cluster]}
shift
K=1 E=1 N=200000 S=300 CLUSTER=0
while [ $# -gt 0 ]; do
	case "$1" in
	-k) K=$2; shift 2 ;;
	-e) E=$2; shift 2 ;;
	-n) N=$2; shift 2 ;;
	-s) S=$2; shift 2 ;;
	--cluster) CLUSTER=1; shift ;;
	*) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
	esac
done
HUB=$BUILD/hub/nd-hub
BENCH=$BUILD/bench/nats/nd-nats-bench
NATS=$(command -v nats-server || echo /usr/sbin/nats-server)
[ -x "$NATS" ] || { echo "run.sh: nats-server is not installed" >&2; exit 77; }
[ -x "$HUB" ] && [ -x "$BENCH" ] || { echo "run.sh: build nd-hub and nd-nats-bench first" >&2; exit 2; }
DIR=$(mktemp -d /tmp/nd-nats-bench-XXXXXX)
PIDS=()
cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$DIR"
}
trap cleanup EXIT INT TERM

free_ports() { python3 -c "
import socket
ss=[socket.socket() for _ in range($1)]
[s.bind(('127.0.0.1',0)) for s in ss]
print(' '.join(str(s.getsockname()[1]) for s in ss))"; }

if [ $CLUSTER = 1 ]; then NODES=3; else NODES=1; fi
read -r -a P <<<"$(free_ports $((2 * NODES)))"
for ((i = 0; i < NODES; i++)); do
	args=(-a 127.0.0.1 -p "${P[$i]}" -l "$DIR/nats$i.log")
	if [ $NODES -gt 1 ]; then
		routes=""
		for ((j = 0; j < NODES; j++)); do
			[ $j = $i ] || routes="$routes,nats://127.0.0.1:${P[$((NODES + j))]}"
		done
		args+=(-n "bench-n$i" --cluster_name "bench-$$" --cluster "nats://127.0.0.1:${P[$((NODES + i))]}" --routes "${routes#,}")
	fi
	"$NATS" "${args[@]}" &
	PIDS+=($!)
done
sleep 1.5

start_hub() { # name node|"" -> sets hub_pid, hub_in, hub_out; node "": no NATS
	local nats=()
	[ -n "$2" ] && nats=(--nats "nats://127.0.0.1:${P[$2]}" --nats-hub-id "$1")
	"$HUB" -a 127.0.0.1 -i 0 -o 0 --no-web "${nats[@]}" --queue-dumplings 65536 2>"$DIR/$1.log" &
	hub_pid=$!
	PIDS+=($hub_pid)
	for _ in $(seq 100); do
		line=$(grep -m1 -o 'kitchens on ws://127.0.0.1:[0-9]*, eaters on ws://127.0.0.1:[0-9]*' "$DIR/$1.log")
		[ -n "$line" ] && { [ -z "$2" ] || grep -q "nats: INFO: connected" "$DIR/$1.log"; } && break
		sleep 0.1
	done
	hub_in=$(sed 's/.*kitchens on ws:\/\/127.0.0.1:\([0-9]*\),.*/\1/' <<<"$line")
	hub_out=$(sed 's/.*eaters on ws:\/\/127.0.0.1:\([0-9]*\)$/\1/' <<<"$line")
}
start_hub plain ""; C_PID=$hub_pid C_IN=$hub_in C_OUT=$hub_out
start_hub benchA 0; A_PID=$hub_pid A_IN=$hub_in A_OUT=$hub_out
start_hub benchB $((NODES - 1)); B_PID=$hub_pid B_OUT=$hub_out
sleep 1

echo "== single hub without NATS: kitchens -> hub -> eaters"
"$BENCH" -i "$C_IN" -o "$C_OUT" -k "$K" -e "$E" -n "$N" -s "$S" --pid "$C_PID"
echo "== single hub with NATS: kitchens -> hub A -> eaters (hub A also publishes to NATS)"
"$BENCH" -i "$A_IN" -o "$A_OUT" -k "$K" -e "$E" -n "$N" -s "$S" --pid "$A_PID"
echo "== hub to hub: kitchens -> hub A -> NATS ($NODES node(s)) -> hub B -> eaters"
"$BENCH" -i "$A_IN" -o "$B_OUT" -k "$K" -e "$E" -n "$N" -s "$S" --pid "$A_PID" --pid "$B_PID" \
	--pid "${PIDS[0]}"
for h in "benchA $A_OUT" "benchB $B_OUT"; do
	set -- $h
	python3 -c "
import json, urllib.request
n = json.load(urllib.request.urlopen('http://127.0.0.1:$2/status', timeout=5)).get('nats', {})
print('$1 nats:', {k: n.get(k) for k in ('published', 'publish_failed', 'received', 'handoff_dropped', 'slow_consumer_dropped', 'async_errors')})"
done
