#!/usr/bin/env bash
# test_live_netns.sh: live capture on two veth interfaces in a network
# namespace the test creates; traffic generated from a second namespace
# (ARP and DNS queries) reaches an eater through nd-hub (or the test hub
# when nd-hub is not built).  nd-sniff drops privileges with -Z after
# opening the captures.  Needs root and `ip netns`; skipped (77) otherwise.
. "$ND_TESTDIR/lib.sh"
if [ "$(id -u)" -ne 0 ] || ! ip netns list >/dev/null 2>&1; then
	echo "SKIP: needs root and ip netns"
	exit 77
fi
S=$(( ($$ + RANDOM) % 100000 ))
A="ndk${S}a" B="ndk${S}b"
ip netns add "$A" || { echo "SKIP: cannot create a network namespace"; exit 77; }
# Everything this test starts runs inside its namespaces: on exit, kill
# exactly those processes, then remove the namespaces.
CLEANUPS+=("ip netns pids $A | xargs -r kill -9; sleep 0.2; ip netns del $A")
ip netns add "$B"
CLEANUPS+=("ip netns pids $B | xargs -r kill -9; sleep 0.2; ip netns del $B")
# Background jobs use `ip netns exec` directly (it execs), so $! is the
# program itself rather than a subshell.
inA() { ip netns exec "$A" "$@"; }
inB() { ip netns exec "$B" "$@"; }
for i in 0 1; do
	ip link add "k${S}a$i" netns "$A" type veth peer name "k${S}b$i" netns "$B"
	inA ip addr add "10.77.$i.1/24" dev "k${S}a$i"
	inB ip addr add "10.77.$i.2/24" dev "k${S}b$i"
	inA ip link set "k${S}a$i" up
	inB ip link set "k${S}b$i" up
done
inA ip link set lo up
inB ip link set lo up

IN=$($PY "$ND_TESTDIR/free_port.py")
if [ -n "${ND_HUB:-}" ] && [ -x "$ND_HUB" ]; then
	OUT=$($PY "$ND_TESTDIR/free_port.py")
	ip netns exec "$A" "$ND_HUB" -a 127.0.0.1 -i "$IN" -o "$OUT" --no-web -f 1 >/dev/null 2>"$T/hub.err" &
	PIDS+=($!)
	hub_up() { inA $PY -c "import socket,sys; socket.create_connection(('127.0.0.1', $OUT), 1)"; }
	wait_for hub_up || fail "nd-hub did not start"
	ip netns exec "$A" $PY "$ND_TESTDIR/eater.py" "ws://127.0.0.1:$OUT" "$T/eaten.log" "$T/eater.ready" >/dev/null 2>"$T/eater.err" &
	PIDS+=($!)
	wait_for test -e "$T/eater.ready" || fail "the eater did not connect"
	EATEN="$T/eaten.log"
	echo "using nd-hub"
else
	start_fakehub_in() { # the test hub inside namespace A
		ip netns exec "$A" $PY "$ND_TESTDIR/fakehub.py" "$IN" "$T/hubport" "$T/hub.log" >/dev/null 2>"$T/fakehub.err" &
		PIDS+=($!)
		wait_for test -s "$T/hubport" || fail "the test hub did not start"
	}
	start_fakehub_in
	EATEN="$T/hub.log"
	echo "using the test hub"
fi

ip netns exec "$A" "$ND_SNIFF" -i "k${S}a0" -i "k${S}a1" -m "$ND_CHEFS" -n livetest -h "127.0.0.1:$IN" \
	-p 1 -Z nobody --stats-interval 1 >/dev/null 2>"$T/sniff.err" &
SNIFF=$!
PIDS+=("$SNIFF")
registered() { grep -q "registered with the hub" "$T/sniff.err"; }
wait_for registered || fail "the kitchen did not register with the hub"
grep -q "now running as user nobody" "$T/sniff.err" || fail "-Z did not drop privileges"

K=7
inB $PY "$ND_TESTDIR/dns_query.py" 10.77.0.1 live-zero.example.com $K
inB $PY "$ND_TESTDIR/dns_query.py" 10.77.1.1 live-one.example.com $K
lookups() { grep -c "\"hostname\": *\"$1\"" "$EATEN" || true; }
all_lookups() { [ "$(lookups live-zero.example.com)" -ge $K ] && [ "$(lookups live-one.example.com)" -ge $K ]; }
wait_for all_lookups || fail "DNS lookups did not arrive: $(lookups live-zero.example.com) and $(lookups live-one.example.com) of $K"
kill -TERM "$SNIFF"
rc=0
wait "$SNIFF" || rc=$?
[ $rc -eq 0 ] || fail "nd-sniff exited $rc after SIGTERM"
no_sanitizer_report "$T/sniff.err"
sleep 0.5
[ "$(lookups live-zero.example.com)" -eq $K ] || fail "live-zero: $(lookups live-zero.example.com) lookups, expected $K"
[ "$(lookups live-one.example.com)" -eq $K ] || fail "live-one: $(lookups live-one.example.com) lookups, expected $K"
grep -q '"ARPChef"' "$EATEN" || fail "no ARP dumpling"
grep -q '"src_ip": *"10.77.0.2"\|"src_ip":"10.77.0.2"' "$EATEN" || fail "no ARP dumpling from 10.77.0.2"
grep -q '"PacketCountChef"' "$EATEN" || fail "no PacketCountChef dumpling"
grep -q "pcap_received=" "$T/sniff.err" || fail "no pcap_stats in the stats line"
echo PASS
