#!/usr/bin/python3
"""check_parity.py TRUTH DUMPLINGS [--kitchen NAME]: the dumplings nd-sniff
wrote (JSON lines, from --stdout with the standard chefs and no filter)
say exactly what the generated capture's ground truth says: per-layer
packet counts, every DNS question, every ARP packet (with netdumplings'
notes), every TLS server name and HTTP Host, in capture order; seq runs
1..N without a gap and one kitchen_start is used throughout."""
import argparse
import json
import sys

ap = argparse.ArgumentParser()
ap.add_argument("truth")
ap.add_argument("dumplings")
ap.add_argument("--kitchen", default="default_kitchen")
a = ap.parse_args()
truth = json.load(open(a.truth))
errors = []


def check(name, got, want):
    if got != want:
        first = next((i for i, (g, w) in enumerate(zip(got, want)) if g != w),
                     min(len(got), len(want))) if isinstance(got, list) else None
        detail = ""
        if first is not None:
            detail = " (first difference at %d: got %r, expected %r; %d vs %d entries)" % (
                first, got[first] if first < len(got) else None,
                want[first] if first < len(want) else None, len(got), len(want))
        else:
            detail = ": got %r, expected %r" % (got, want)
        errors.append(name + detail)
    else:
        print("ok: %s (%s)" % (name, len(got) if isinstance(got, (list, dict)) else got))


packets = {"DNSLookupChef": [], "ARPChef": [], "TLSSNIChef": [], "HTTPHostChef": []}
intervals = {}
seqs = []
starts = set()
for line in open(a.dumplings):
    d = json.loads(line)
    md = d["metadata"]
    seqs.append(md["seq"])
    starts.add(md["kitchen_start"])
    if md["kitchen"] != a.kitchen:
        errors.append("metadata.kitchen %r" % md["kitchen"])
        break
    if md["driver"] == "packet":
        packets.setdefault(md["chef"], []).append(d["payload"])
    else:
        intervals[md["chef"]] = d["payload"]

check("seq 1..N", seqs, list(range(1, len(seqs) + 1)))
check("one kitchen_start", len(starts), 1)
check("PacketCountChef layer counts", intervals.get("PacketCountChef", {}).get("packet_counts"),
      truth["layers"])
check("DNS questions in order", [p["lookup"]["hostname"] for p in packets["DNSLookupChef"]],
      [d["qname"].rstrip(".") for d in truth["dns"] if d["qname"] is not None])
ops = {1: "request", 2: "reply"}
check("ARP packets in order",
      [(p["operation"], p["src_hw"], p["src_ip"], p["dst_hw"], p["dst_ip"], round(p["time"], 6),
        p["notes"]) for p in packets["ARPChef"]],
      [(ops.get(x["op"], x["op"]), x["src_hw"], x["src_ip"], x["dst_hw"], x["dst_ip"],
        round(x["ts"], 6), x["note"]) for x in truth["arp"]])
check("TLS server names in order", [p["tls_sni"]["hostname"] for p in packets["TLSSNIChef"]],
      [x["sni"] for x in truth["tls_sni"] if x.get("sni")])
check("HTTP Hosts in order", [p["http_host"]["hostname"] for p in packets["HTTPHostChef"]],
      [x["host"] for x in truth["http_host"]])
if errors:
    for e in errors:
        print("MISMATCH: " + e, file=sys.stderr)
    sys.exit(1)
