#!/usr/bin/env python3
"""check_truth.py: checks nd-gencap's ground truth against two independent
readers of the capture.

scapy (the reference for layer names, as netdumplings' PacketCountChef,
DNSLookupChef and ARPChef see packets): every layer count, every DNS
packet's query name and direction, every ARP packet's fields, and the ARP
notes ARPChef would make.
tshark: packet count, per-protocol frame counts, Ethernet padding, valid
checksums and no malformed frames, DNS query names, ARP fields, TLS SNIs
and HTTP Host headers.

Usage: check_truth.py CAPTURE TRUTH.json [--no-tshark]
Exits 0 when everything agrees, 1 with a list of differences otherwise.
"""
import json
import subprocess
import sys
from collections import defaultdict

import logging
logging.getLogger("scapy.runtime").setLevel(logging.ERROR)
from scapy.all import ARP, DNS, PcapReader, PcapNgReader  # noqa: E402

errors = []


def expect(what, got, want):
    if got != want:
        if isinstance(got, list) and isinstance(want, list):
            for i, (g, w) in enumerate(zip(got, want)):
                if g != w:
                    errors.append(f"{what}: first difference at item {i}: got {g!r}, truth {w!r}")
                    return
            errors.append(f"{what}: got {len(got)} items, truth {len(want)}")
        else:
            errors.append(f"{what}: got {got!r}, truth {want!r}")


def arp_notes(arps):
    """ARPChef.packet_handler's notes, reimplemented."""
    ip_mac, notes = {}, []
    for a in arps:
        note = None
        if a["op"] == 2:
            if ip_mac.get(a["src_ip"]) is None:
                note = "source device is new"
            elif ip_mac[a["src_ip"]] != a["src_hw"]:
                note = "source device has new IP address"
            ip_mac[a["src_ip"]] = a["src_hw"]
        notes.append(note)
    return notes


def check_scapy(cap, truth):
    counts = defaultdict(int)
    dns, arps = [], []
    reader = PcapNgReader if truth["format"] == "pcapng" else PcapReader
    n = 0
    for n, pkt in enumerate(reader(cap), start=1):
        layer = pkt
        counts[layer.name] += 1
        while layer.payload:
            layer = layer.payload
            counts[layer.name] += 1
        if pkt.haslayer("DNS"):
            d = pkt.getlayer(DNS)
            qd = d.fields["qd"]
            name = qd.qname.decode("utf-8")
            if name.endswith("."):
                name = name[:-1]
            dns.append((n, name, d.qr, d.ancount))
        if pkt.haslayer("ARP"):
            a = pkt[ARP]
            arps.append({"frame": n, "op": a.op, "src_hw": a.hwsrc, "src_ip": a.psrc,
                         "dst_hw": a.hwdst, "dst_ip": a.pdst})
    expect("scapy: packets", n, truth["packets"])
    expect("scapy: layer counts", dict(counts), truth["layers"])
    if not truth["lists"]:
        return
    expect("scapy: DNS packets", dns,
           [(e["frame"], e["qname"], e["qr"], e["ancount"]) for e in truth["dns"]])
    want_arp = [{k: e[k] for k in ("frame", "op", "src_hw", "src_ip", "dst_hw", "dst_ip")}
                for e in truth["arp"]]
    expect("scapy: ARP packets", arps, want_arp)
    expect("ARPChef notes", arp_notes(arps), [e["note"] for e in truth["arp"]])


def tshark(cap, fields, display_filter=None, prefs=()):
    cmd = ["tshark", "-r", cap, "-n", "-T", "fields", "-E", "separator=\t",
           "-E", "occurrence=f"] + list(prefs)
    if display_filter:
        cmd += ["-Y", display_filter]
    for f in fields:
        cmd += ["-e", f]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=600).stdout
    return [line.split("\t") for line in out.splitlines()]


def check_tshark(cap, truth):
    layers = truth["layers"]
    rows = tshark(cap, ["frame.protocols", "eth.padding", "icmpv6.type"])
    expect("tshark: packets", len(rows), truth["packets"])
    per = defaultdict(int)
    for protos, padding, icmp6 in rows:
        p = protos.split(":")
        for name, key in (("ieee8021ad", "802_1AD"), ("ip", "IP"), ("ipv6", "IPv6"),
                          ("tcp", "TCP"), ("udp", "UDP"), ("icmp", "ICMP"), ("arp", "ARP"),
                          ("dns", "DNS")):
            if name in p:
                per[key] += 1
        per["802.1Q"] += p.count("vlan")
        if padding:
            per["Padding"] += 1
        if icmp6 == "128":
            per["ICMPv6 Echo Request"] += 1
        if icmp6 == "129":
            per["ICMPv6 Echo Reply"] += 1
    for key in ("802_1AD", "802.1Q", "IP", "IPv6", "TCP", "UDP", "ICMP", "ARP", "DNS",
                "Padding", "ICMPv6 Echo Request", "ICMPv6 Echo Reply"):
        expect(f"tshark: frames with {key}", per[key], layers.get(key, 0))
    bad = tshark(cap, ["frame.number"],
                 "ip.checksum.status == 2 || tcp.checksum.status == 2 || "
                 "udp.checksum.status == 2 || icmp.checksum.status == 2 || "
                 "icmpv6.checksum.status == 2 || _ws.malformed || _ws.expert.severity == error",
                 ["-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE",
                  "-o", "udp.check_checksum:TRUE"])
    expect("tshark: frames with a bad checksum or malformed", [r[0] for r in bad][:5], [])
    if not truth["lists"]:
        return
    dns = [(int(f), q, int(r == "1" or r == "True"))
           for f, q, r in tshark(cap, ["frame.number", "dns.qry.name", "dns.flags.response"], "dns")]
    expect("tshark: DNS names", dns, [(e["frame"], e["qname"], e["qr"]) for e in truth["dns"]])
    arp = [(int(f), int(op), sh, si, th, ti) for f, op, sh, si, th, ti in
           tshark(cap, ["frame.number", "arp.opcode", "arp.src.hw_mac", "arp.src.proto_ipv4",
                        "arp.dst.hw_mac", "arp.dst.proto_ipv4"], "arp")]
    expect("tshark: ARP packets", arp, [(e["frame"], e["op"], e["src_hw"], e["src_ip"],
                                         e["dst_hw"], e["dst_ip"]) for e in truth["arp"]])
    sni = [(int(f), s) for f, s in tshark(cap, ["frame.number", "tls.handshake.extensions_server_name"],
                                          "tls.handshake.type == 1 && tls.handshake.extensions_server_name")]
    expect("tshark: TLS SNIs", sni, [(e["frame"], e["sni"]) for e in truth["tls_sni"]])
    hellos = tshark(cap, ["frame.number"], "tls.handshake.type == 1")
    expect("tshark: ClientHellos", len(hellos), truth["counts"]["tls_client_hellos"])
    hosts = [(int(f), h) for f, h in tshark(cap, ["frame.number", "http.host"], "http.request")]
    expect("tshark: HTTP hosts", hosts, [(e["frame"], e["host"]) for e in truth["http_host"]])


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    cap, truth_path = args
    with open(truth_path) as fp:
        truth = json.load(fp)
    check_scapy(cap, truth)
    if "--no-tshark" not in sys.argv:
        check_tshark(cap, truth)
    for e in errors:
        print("MISMATCH:", e)
    if not errors:
        print(f"ok: {truth['packets']} packets, {len(truth['layers'])} layer names, "
              f"{truth['counts']['dns_queries'] + truth['counts']['dns_responses']} DNS, "
              f"{truth['counts']['arp_requests'] + truth['counts']['arp_replies']} ARP, "
              f"{truth['counts']['tls_client_hellos']} ClientHellos, "
              f"{truth['counts']['http_requests']} HTTP requests agree")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
