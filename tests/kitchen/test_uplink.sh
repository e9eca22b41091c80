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

# --stdout with -h: the same dumplings to both.
: >"$T/hub.log"
"$ND_SNIFF" -r "$T/cap.pcap" -m "$ND_TESTCHEF" -n both -h "127.0.0.1:$HUB_PORT" --stdout \
	-p 0 -f "" >"$T/both.jsonl" 2>"$T/both.err" || fail "nd-sniff --stdout -h exited $?"
no_sanitizer_report "$T/both.err"
wait_for grep -q '"ev": "close"' "$T/hub.log" || fail "the hub saw no close (--stdout -h)"
$PY "$ND_TESTDIR/check_hublog.py" "$T/hub.log" --kitchen both --dumplings $((N + 1)) --contiguous
[ "$(wc -l <"$T/both.jsonl")" -eq $((N + 1)) ] || fail "--stdout -h: $(wc -l <"$T/both.jsonl") lines"
cmp <(grep -o '"text": ".*"' "$T/hub.log" | tail -n +2 | $PY -c '
import json, sys
for l in sys.stdin: print(json.loads("{" + l.strip() + "}")["text"])') "$T/both.jsonl" ||
	fail "the hub and standard output did not get the same bytes"

# SIGINT during a paced replay: capture stops, a last poke, everything made
# is delivered, close 4101, exit 0.
: >"$T/hub.log"
$PY "$ND_TESTDIR/gen_simple.py" "$T/slow.pcap" 200 50   # 10 s at recorded speed
"$ND_SNIFF" -r "$T/slow.pcap" --realtime -m "$ND_TESTCHEF" -n sigint -h "127.0.0.1:$HUB_PORT" \
	-p 0 -f "" >/dev/null 2>"$T/sigint.err" &
SNIFF=$!
PIDS+=("$SNIFF")
some() { [ "$(grep -c '"ev": "msg"' "$T/hub.log")" -ge 10 ]; }
wait_for some || fail "sigint: nothing arrived"
kill -INT "$SNIFF"
rc=0
wait "$SNIFF" || rc=$?
[ $rc -eq 0 ] || fail "sigint: nd-sniff exited $rc"
no_sanitizer_report "$T/sigint.err"
wait_for grep -q '"ev": "close"' "$T/hub.log" || fail "sigint: the hub saw no close"
MADE=$(grep -o 'last_seq=[0-9]*' "$T/sigint.err" | cut -d= -f2)
[ "$MADE" -lt 150 ] || fail "sigint: the replay was not interrupted ($MADE made)"
$PY "$ND_TESTDIR/check_hublog.py" "$T/hub.log" --kitchen sigint --dumplings "$MADE" \
	--contiguous --close-code 4101
grep -qF '\"driver\":\"interval\"' "$T/hub.log" || fail "sigint: no final interval dumpling"

# No hub at all: the final flush gives up after --flush-timeout, counts
# what it could not deliver, and the kitchen still exits 0.
DEAD=$($PY "$ND_TESTDIR/free_port.py")
"$ND_SNIFF" -r "$T/cap.pcap" -m "$ND_TESTCHEF" -h "127.0.0.1:$DEAD" -p 0 -f "" \
	--flush-timeout 0.5 2>"$T/dead.err" || fail "nd-sniff with no hub exited $?"
no_sanitizer_report "$T/dead.err"
grep -q "cannot reach the hub" "$T/dead.err" || fail "no word about the unreachable hub"
grep -q "finished: .* sent=0 .* dropped=0 dropped_at_exit=$((N + 1)) " "$T/dead.err" ||
	fail "final line: $(grep finished "$T/dead.err")"
echo PASS
