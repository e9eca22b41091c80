#!/usr/bin/env bash
# test_bad_inputs.sh: what people get wrong gets a clear message and a
# non-zero exit, never a crash.
. "$ND_TESTDIR/lib.sh"
$PY "$ND_TESTDIR/gen_simple.py" "$T/cap.pcap" 50 1

# expect NAME STATUS PATTERN -- ARGS...: nd-sniff ARGS exits STATUS (any
# non-zero when STATUS is "nz") and its stderr matches PATTERN.
expect() {
	local name=$1 want=$2 pattern=$3 rc=0
	shift 4
	"$ND_SNIFF" "$@" >"$T/$name.out" 2>"$T/$name.err" </dev/null || rc=$?
	no_sanitizer_report "$T/$name.err"
	if [ "$want" = nz ]; then
		[ $rc -ne 0 ] && [ $rc -lt 128 ] || fail "$name: exit status $rc, expected a non-zero exit"
	else
		[ $rc -eq "$want" ] || fail "$name: exit status $rc, expected $want"
	fi
	[ -z "$pattern" ] || grep -qE -- "$pattern" "$T/$name.err" ||
		fail "$name: stderr does not match /$pattern/: $(cat "$T/$name.err")"
	echo "ok: $name: $(grep -E -m1 -- "$pattern" "$T/$name.err" | cut -c1-200)"
}

M=(-m "$ND_TESTCHEF" --stdout -p 0)

# A capture cut off in the middle of a packet: the packets before the cut
# are processed, then the error is reported and the exit status is 1.
head -c $(( $(stat -c %s "$T/cap.pcap") - 20 )) "$T/cap.pcap" >"$T/truncated.pcap"
expect truncated 1 "cannot read the capture file after 49 packets: .*truncated" -- \
	-r "$T/truncated.pcap" "${M[@]}" -f ""
[ "$(grep -c '"driver":"packet"' "$T/truncated.out")" -eq 49 ] ||
	fail "truncated: the 49 whole packets were not all processed"

# Not a capture at all, and an empty file.
head -c 4096 /dev/urandom >"$T/garbage.pcap"
expect garbage 1 "cannot read the capture file .*garbage.pcap" -- -r "$T/garbage.pcap" "${M[@]}"
: >"$T/empty.pcap"
expect empty 1 "cannot read the capture file .*empty.pcap" -- -r "$T/empty.pcap" "${M[@]}"
expect missing 1 "cannot read the capture file .*nonexistent.pcap: .*No such file" -- \
	-r "$T/nonexistent.pcap" "${M[@]}"

# A filter that does not compile: libpcap's message and the filter itself.
expect badfilter 1 'the filter "tcp port nonsense" does not compile: .+' -- \
	-r "$T/cap.pcap" -f "tcp port nonsense" "${M[@]}"

# Chef modules that are not shared objects, or missing.
echo "not a shared object" >"$T/notaso.so"
expect notaso 1 "cannot load the chef module .*notaso.so" -- \
	-r "$T/cap.pcap" -m "$T/notaso.so" --stdout
expect nomodule 1 "cannot load the chef module .*nosuch.so" -- \
	-r "$T/cap.pcap" -m "$T/nosuch.so" --stdout

# Unknown chefs are warned about; with no valid chef left the kitchen does
# not start (exit 1, as netdumplings).
expect unknownchef 1 "no valid chefs found" -- -r "$T/cap.pcap" "${M[@]}" -c NoSuchChef
grep -q "NoSuchChef" "$T/unknownchef.err" || fail "unknownchef: the unknown chef is not named"
expect unassignable 1 "no valid chefs found" -- -r "$T/cap.pcap" "${M[@]}" -c UnassignableChef
# ... but an unknown chef next to a good one is only a warning.
expect partlyknown 0 "NoSuchChef" -- -r "$T/cap.pcap" "${M[@]}" -c NoSuchChef -c PacketEchoChef -f ""
[ "$(grep -c '"driver":"packet"' "$T/partlyknown.out")" -eq 50 ] || fail "partlyknown: wrong output"

# Chef options: unknown option and bad value.
expect badopt 1 "nosuchkey" -- -r "$T/cap.pcap" "${M[@]}" -o PacketEchoChef.nosuchkey=1
expect badoptsyntax 2 "--chef-opt" -- -r "$T/cap.pcap" "${M[@]}" -o novalue

# Live capture on an interface that does not exist lists the real ones.
expect noiface 1 'no such interface "nd-no-such0"; available interfaces: .*lo' -- \
	-i nd-no-such0 "${M[@]}"

# A link type the dissector does not know: said once, by name; the chefs
# still see every packet (counted as not dissected).
$PY -c '
import sys
from scapy.all import Raw, wrpcap
wrpcap(sys.argv[1], [Raw(b"\x80\x00" + bytes(30)) for _ in range(5)], linktype=105)
' "$T/wifi.pcap"
expect linktype 0 "link type IEEE802_11 .* is not one the kitchen can dissect" -- \
	-r "$T/wifi.pcap" "${M[@]}" -f ""
grep -q "not_dissected=5 " "$T/linktype.err" || fail "linktype: packets not counted as not dissected"
[ "$(grep -c '"driver":"packet"' "$T/linktype.out")" -eq 5 ] || fail "linktype: the chef did not see every packet"

# Capturing without the privileges for it says what is needed.
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
	rc=0
	setpriv --reuid=nobody --regid=nogroup --clear-groups \
		"$ND_SNIFF" -i lo "${M[@]}" >/dev/null 2>"$T/noperm.err" </dev/null || rc=$?
	no_sanitizer_report "$T/noperm.err"
	[ $rc -eq 1 ] || fail "noperm: exit status $rc"
	grep -q "permission denied.*needs root, or the CAP_NET_RAW and CAP_NET_ADMIN" "$T/noperm.err" ||
		fail "noperm: $(cat "$T/noperm.err")"
	echo "ok: noperm"
fi

# Standard output closed early (a pipe into head): the kitchen stops cleanly.
$PY "$ND_TESTDIR/gen_simple.py" "$T/many.pcap" 20000 1
set +e
"$ND_SNIFF" -r "$T/many.pcap" "${M[@]}" -f "" 2>"$T/epipe.err" | head -n 1 >/dev/null
rc=${PIPESTATUS[0]}
set -e
no_sanitizer_report "$T/epipe.err"
[ $rc -eq 0 ] || fail "epipe: exit status $rc"
grep -q "stopping: standard output was closed" "$T/epipe.err" || fail "epipe: $(tail -3 "$T/epipe.err")"
echo "ok: epipe"

# Command-line mistakes exit 2.
expect badhub 2 "--hub" -- -r "$T/cap.pcap" -m "$ND_TESTCHEF" -h "bad host:port:x"
expect badpoke 2 "--poke-interval" -- -r "$T/cap.pcap" "${M[@]}" -p abc
expect realtimelive 2 "--realtime" -- --realtime "${M[@]}"

# -l lists modules and chefs, marking unassignable ones, and exits 0.
expect list 0 "" -- -l -m "$ND_TESTCHEF" -m "$T/notaso.so"
grep -q PacketEchoChef "$T/list.out" || fail "list: PacketEchoChef not listed"
grep -q "UnassignableChef.*not assignable" "$T/list.out" || fail "list: unassignable not marked"
grep -q "notaso.so" "$T/list.out" || fail "list: the bad module is not shown"
echo PASS
