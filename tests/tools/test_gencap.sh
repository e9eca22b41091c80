#!/usr/bin/env bash
# test_gencap.sh: nd-gencap end to end.  The ground truth must agree with
# scapy and tshark on captures of every profile and both formats; output
# must be a function of the options alone; bad options must exit 2.
# Usage: test_gencap.sh ND_GENCAP CHECK_TRUTH_PY
# Exits 77 (skipped) when scapy or tshark is missing.
set -euo pipefail

GEN=$1
CHECK=$2
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# The system python has Debian's python3-scapy; a PATH python may not.
PY=""
for p in /usr/bin/python3 python3; do
  if command -v "$p" >/dev/null && "$p" -c 'import scapy.all' 2>/dev/null; then PY=$p; break; fi
done
if [ -z "$PY" ] || ! command -v tshark >/dev/null; then
  echo "SKIP: needs python3-scapy and tshark"
  exit 77
fi

fail() { echo "FAIL: $*"; exit 1; }
check() { timeout 300 "$PY" "$CHECK" "$@" || fail "truth disagrees with scapy/tshark: $*"; }

echo "== demo-sized capture, default profile"
"$GEN" --out "$TMP/small.pcap" --count 500 --truth "$TMP/small.json"
check "$TMP/small.pcap" "$TMP/small.json"

echo "== every profile, other seeds"
seed=11
for profile in mixed dns web arp; do
  "$GEN" -o "$TMP/$profile.pcap" -n 4000 -s $seed -p "$profile" -t "$TMP/$profile.json"
  check "$TMP/$profile.pcap" "$TMP/$profile.json"
  seed=$((seed + 1))
done

echo "== the mix has what it promises"
"$PY" - "$TMP/mixed.json" <<'PYEOF'
import json, sys
t = json.load(open(sys.argv[1]))
L, C = t["layers"], t["counts"]
need = ["Ethernet", "802.1Q", "802_1AD", "IP", "IPv6", "TCP", "UDP", "ICMP", "DNS", "ARP",
        "Raw", "Padding"]
missing = [k for k in need if not L.get(k)]
assert not missing, f"layers missing from the mix: {missing}"
assert L.get("ICMPv6 Echo Request", 0) + L.get("ICMPv6 Echo Reply", 0) > 0, "no ICMPv6 echo"
for k in ("dns_queries", "dns_responses", "dns_over_tcp", "arp_requests", "arp_replies",
          "tls_client_hellos", "http_requests"):
    assert C[k] > 0, f"no {k}"
assert any("." in e["qname"].split(".", 1)[1] for e in t["dns"]), "no multi-label names"
assert any(e["ancount"] > 0 for e in t["dns"]), "no DNS answers"
assert any(e["qname"] != e["qname"].lower() for e in t["dns"]), "no mixed-case names"
assert any(len(l) == 63 for e in t["dns"] for l in e["qname"].split(".")), "no 63-byte labels"
notes = {e["note"] for e in json.load(open(sys.argv[1].replace("mixed", "arp")))["arp"]}
assert notes == {None, "source device is new", "source device has new IP address"}, notes
ts = [e["ts"] for e in t["dns"]]
assert ts == sorted(ts), "timestamps go backwards"
PYEOF

echo "== pcapng"
"$GEN" -o "$TMP/ng.pcapng" -n 2000 -s 5 --pcapng -t "$TMP/ng.json"
check "$TMP/ng.pcapng" "$TMP/ng.json"

echo "== same options, same bytes; another seed, other bytes"
"$GEN" -o "$TMP/a.pcap" -n 3000 -s 42 -t "$TMP/a.json"
"$GEN" -o "$TMP/b.pcap" -n 3000 -s 42 -t "$TMP/b.json"
"$GEN" -o - -n 3000 -s 42 > "$TMP/c.pcap"
"$GEN" -o "$TMP/d.pcap" -n 3000 -s 43
cmp "$TMP/a.pcap" "$TMP/b.pcap" || fail "same seed, different capture"
cmp "$TMP/a.json" "$TMP/b.json" || fail "same seed, different truth"
cmp "$TMP/a.pcap" "$TMP/c.pcap" || fail "standard output differs from the file"
if cmp -s "$TMP/a.pcap" "$TMP/d.pcap"; then fail "different seeds, same capture"; fi

echo "== counts-only truth matches the full one"
"$GEN" -o "$TMP/e.pcap" -n 3000 -s 42 -t "$TMP/e.json" --no-truth-lists
"$PY" - "$TMP/a.json" "$TMP/e.json" <<'PYEOF'
import json, sys
a, e = (json.load(open(p)) for p in sys.argv[1:])
assert e["lists"] is False and "dns" not in e
assert a["layers"] == e["layers"] and a["counts"] == e["counts"] and a["packets"] == e["packets"]
PYEOF

echo "== bad command lines exit 2"
for args in "--count 0 -o $TMP/x" "--profile nope -o $TMP/x" "--count 5" "--rate abc -o $TMP/x" \
            "-o $TMP/x extra"; do
  set +e
  # shellcheck disable=SC2086
  "$GEN" $args 2>/dev/null
  rc=$?
  set -e
  [ "$rc" -eq 2 ] || fail "nd-gencap $args exited $rc, not 2"
done
"$GEN" --help | grep -q -- "--truth" || fail "--help does not list --truth"

echo "PASS"
