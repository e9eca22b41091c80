#!/usr/bin/env bash
# test_offline_parity.sh: nd-sniff -r --stdout with the standard chefs over
# generated captures (pcap and pcapng, several traffic mixes) reports
# exactly what the captures contain.
. "$ND_TESTDIR/lib.sh"
[ -x "$ND_GENCAP" ] || fail "nd-gencap is not built"
run() { # NAME GENCAP-ARGS...
	local name=$1
	shift
	"$ND_GENCAP" -o "$T/$name.cap" -t "$T/$name.truth" "$@"
	"$ND_SNIFF" -r "$T/$name.cap" -m "$ND_CHEFS" --stdout -p 0 -f "" -n "parity-$name" \
		>"$T/$name.jsonl" 2>"$T/$name.err" || fail "$name: nd-sniff exited $?"
	no_sanitizer_report "$T/$name.err"
	echo "== $name"
	$PY "$ND_TESTDIR/check_parity.py" --kitchen "parity-$name" "$T/$name.truth" "$T/$name.jsonl" ||
		fail "$name: the dumplings do not match the capture"
}
run mixed -n 20000 -s 3
run mixed-pcapng -n 5000 -s 11 --pcapng
run dns -n 5000 -s 5 -p dns
run arp -n 2000 -s 9 -p arp
run web -n 5000 -s 13 -p web
echo PASS
