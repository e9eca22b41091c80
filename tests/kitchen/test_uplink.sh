#!/usr/bin/env bash
# test_uplink.sh: nd-sniff -r delivers every dumpling to a hub, registration
# first, seq 1..N in order, with a final interval dumpling, and closes 4101.
. "$ND_TESTDIR/lib.sh"
N=500
$PY "$ND_TESTDIR/gen_simple.py" "$T/cap.pcap" $N 1
start_fakehub 0 "$T/hub.log"
"$ND_SNIFF" -r "$T/cap.pcap" -m "$ND_TESTCHEF" -n uplinktest -h "127.0.0.1:$HUB_PORT" \
	-p 0 -f "" --queue-count 50 2>"$T/sniff.err" || fail "nd-sniff exited $?"
no_sanitizer_report "$T/sniff.err"
wait_for grep -q '"ev": "close"' "$T/hub.log" || fail "the hub saw no close"
# N packet dumplings plus the final poke's interval dumpling.
$PY "$ND_TESTDIR/check_hublog.py" "$T/hub.log" --kitchen uplinktest \
	--chefs testchef.PacketEchoChef --dumplings $((N + 1)) --contiguous --close-code 4101
grep -q "finished: packets=$N .* dropped=0 " "$T/sniff.err" || fail "final line: $(grep finished "$T/sniff.err")"
echo PASS
