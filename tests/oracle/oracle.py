#!/usr/bin/python3
"""The tshark oracle for the packet dissector.

Builds captures of its own (scapy for the packets, a small pcap writer for
the files, so caplen < len can be written too), reads each with our
dissector (dissect_dump, given as argv[1]) and with `tshark -T fields`, and
requires that, packet by packet, both find the same layers (mapped to our
names), the same ARP fields, DNS query names, TLS SNI, HTTP method and
Host, IP addresses, ports and VLAN ids.  Exit 0 on agreement, 1 on any
difference (each one printed), 77 when tshark or scapy is missing.
"""
import os
import random
import shutil
import struct
import subprocess
import sys
import tempfile

try:
    import logging
    logging.getLogger("scapy.runtime").setLevel(logging.ERROR)
    from scapy.all import (ARP, DNS, DNSQR, DNSRR, ICMP, IP, TCP, UDP,
                           Dot1AD, Dot1Q, Ether, IPv6, IPv6ExtHdrDestOpt,
                           IPv6ExtHdrFragment, IPv6ExtHdrHopByHop,
                           IPv6ExtHdrRouting, ICMPv6EchoRequest,
                           ICMPv6ND_NS, ICMPv6NDOptSrcLLAddr, IPOption_RR,
                           CookedLinux, CookedLinuxV2, Loopback, Raw,
                           ICMPv6ND_RA, ICMPv6ND_NA, ICMPv6NDOptPrefixInfo,
                           ICMPv6NDOptMTU, ICMPv6NDOptRDNSS,
                           ICMPv6NDOptDstLLAddr, ICMPv6MLReport2,
                           ICMPv6DestUnreach,
                           dns_compress)
except ImportError:
    print("oracle: scapy not available, skipping")
    sys.exit(77)

DLT_NULL, DLT_EN10MB, DLT_RAW, DLT_SLL, DLT_SLL2 = 0, 1, 101, 113, 276

# tshark protocol names -> our short layer names (others are ignored).
TSHARK_LAYERS = {
    "eth": "Ethernet", "sll": "SLL", "null": "Loopback", "vlan": "VLAN",
    "ieee8021ad": "VLAN", "arp": "ARP", "ip": "IP", "ipv6": "IPv6",
    "ipv6.hopopts": "IPv6HopOpts", "ipv6.routing": "IPv6Routing",
    "ipv6.fraghdr": "IPv6Frag", "ipv6.dstopts": "IPv6DstOpts",
    "tcp": "TCP", "udp": "UDP", "icmp": "ICMP", "icmpv6": "ICMPv6",
    "dns": "DNS",
}
OUR_LAYERS = {"Dot1Q": "VLAN", "Dot1AD": "VLAN", "SLL2": "SLL",
              # tshark names quoted headers in ICMP errors like any other.
              "IPinICMP": "IP", "IPv6inICMPv6": "IPv6", "TCPinICMP": "TCP",
              "UDPinICMP": "UDP", "ICMPinICMP": "ICMP"}
# tshark shows ND options inside icmpv6, not as protocols.
OUR_IGNORED = {"Raw", "Padding", "ICMPv6NDOpt"}

FIELDS = ["frame.number", "frame.protocols", "arp.opcode", "arp.src.hw_mac",
          "arp.src.proto_ipv4", "arp.dst.hw_mac", "arp.dst.proto_ipv4",
          "ip.src", "ip.dst", "ipv6.src", "ipv6.dst", "tcp.srcport",
          "tcp.dstport", "udp.srcport", "udp.dstport", "dns.qry.name",
          "tls.handshake.extensions_server_name", "http.request.method",
          "http.host", "ieee8021ad.id", "vlan.id", "dns.resp.name"]


def write_pcap(path, dlt, records):
    """records: list of bytes, or (bytes, wire_len) for truncated ones."""
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 262144, dlt))
        for i, r in enumerate(records):
            data, wire = (r, len(r)) if isinstance(r, bytes) else r
            f.write(struct.pack("<IIII", 1700000000 + i, i, len(data), wire))
            f.write(data)


def tls_client_hello(sni, ext_before=0):
    exts = b""
    for i in range(ext_before):  # filler extensions before server_name
        body = bytes(random.randrange(256) for _ in range(random.randrange(8)))
        exts += struct.pack("!HH", 0xff00 + i, len(body)) + body
    name = sni.encode()
    sn = struct.pack("!BH", 0, len(name)) + name
    exts += struct.pack("!HHH", 0, len(sn) + 2, len(sn)) + sn
    exts += struct.pack("!HH", 10, 4) + b"\x00\x02\x00\x1d"
    body = (b"\x03\x03" + os.urandom(32) + b"\x20" + os.urandom(32) +
            b"\x00\x04\x13\x01\x13\x02" + b"\x01\x00" +
            struct.pack("!H", len(exts)) + exts)
    hs = b"\x01" + struct.pack("!I", len(body))[1:] + body
    return b"\x16\x03\x01" + struct.pack("!H", len(hs)) + hs


def rand_name():
    labels = ["".join(random.choice("abcdefghijklmnopqrstuvwxyz0123456789-")
                      for _ in range(random.randint(1, 20))).strip("-") or "x"
              for _ in range(random.randint(1, 4))]
    return ".".join(labels) + random.choice([".com", ".org", ".example", ""])


def l3_packets():
    """IP-level packets (no link layer), a mix of everything we parse."""
    out = []
    mac = "02:00:00:00:00:01"
    for _ in range(20):
        name = rand_name()
        q = DNS(id=random.randrange(65536), rd=1, qd=DNSQR(qname=name))
        out.append(IP(src="10.0.0.1", dst="10.0.0.53") /
                   UDP(sport=random.randint(1024, 65535), dport=53) / q)
        r = DNS(id=q.id, qr=1, qd=DNSQR(qname=name),
                an=DNSRR(rrname=name, type="A", rdata="192.0.2.7") /
                DNSRR(rrname="cname." + name, type="CNAME", rdata=name))
        out.append(IPv6(src="2001:db8::53", dst="2001:db8::1") /
                   UDP(sport=53, dport=33333) / dns_compress(r))
        m = bytes(DNS(id=3, rd=1, qd=DNSQR(qname=name, qtype="AAAA")))
        out.append(IP(src="10.0.0.1", dst="10.0.0.53") /
                   TCP(sport=40000, dport=53, flags="PA") /
                   Raw(struct.pack("!H", len(m)) + m))
    for _ in range(10):
        host = rand_name()
        out.append(IP(src="10.0.0.2", dst="10.0.0.80") /
                   TCP(sport=50000, dport=80, flags="PA") /
                   Raw(("GET /p?%d HTTP/1.1\r\nUser-Agent: t\r\nHost: %s\r\n"
                        "\r\n" % (random.randrange(99), host)).encode()))
        out.append(IPv6(src="2001:db8::2", dst="2001:db8::443") /
                   TCP(sport=50001, dport=443, flags="PA") /
                   Raw(tls_client_hello(host, random.randrange(4))))
    out += [
        IP(src="10.0.0.3", dst="10.0.0.4") / TCP(flags="S", dport=22),
        IP(src="10.0.0.3", dst="10.0.0.4", options=[IPOption_RR()]) /
        TCP(flags="SA", sport=22, dport=1234),
        IP(src="10.0.0.3", dst="10.0.0.4") / ICMP() / Raw(b"ping"),
        IP(src="10.0.0.3", dst="10.0.0.4", flags="MF", frag=0) /
        UDP(sport=5000, dport=5001) / Raw(b"A" * 40),
        IP(src="10.0.0.3", dst="10.0.0.4", frag=6, proto=17) / Raw(b"B" * 40),
        IPv6(src="fe80::1", dst="ff02::1") / ICMPv6EchoRequest(data=b"hi"),
        IPv6(src="fe80::1", dst="ff02::1:ff00:2") /
        ICMPv6ND_NS(tgt="fe80::2") / ICMPv6NDOptSrcLLAddr(lladdr=mac),
        IPv6(src="fe80::1", dst="ff02::1") / ICMPv6ND_RA() /
        ICMPv6NDOptPrefixInfo(prefix="2001:db8::") / ICMPv6NDOptMTU() /
        ICMPv6NDOptSrcLLAddr(lladdr=mac) /
        ICMPv6NDOptRDNSS(dns=["2001:db8::53"]),
        IPv6(src="fe80::2", dst="fe80::1") / ICMPv6ND_NA(tgt="fe80::2") /
        ICMPv6NDOptDstLLAddr(lladdr=mac) / Raw(b"\x99\x01abcdef"),
        IPv6(src="fe80::2", dst="ff02::16") / IPv6ExtHdrHopByHop() /
        ICMPv6MLReport2(),
        IPv6(src="2001:db8::1", dst="2001:db8::2") / IPv6ExtHdrHopByHop() /
        IPv6ExtHdrDestOpt() / UDP(sport=1000, dport=2000) / Raw(b"x"),
        IPv6(src="2001:db8::1", dst="2001:db8::2") /
        IPv6ExtHdrRouting(addresses=["2001:db8::9"]) /
        TCP(sport=1000, dport=2000, flags="A"),
        IPv6(src="2001:db8::1", dst="2001:db8::2") /
        IPv6ExtHdrFragment(m=1, offset=0, id=7) / UDP(sport=7, dport=9) /
        Raw(b"y" * 32),
        IPv6(src="2001:db8::1", dst="2001:db8::2") /
        IPv6ExtHdrFragment(m=0, offset=5, id=7, nh=17) / Raw(b"z" * 16),
        IP(src="10.0.0.9", dst="10.0.0.3") / ICMP(type=3, code=3) /
        Raw(bytes(IP(src="10.0.0.3", dst="10.0.0.9") /
                  UDP(sport=40000, dport=9999) / Raw(b"payload"))[:28]),
        IP(src="10.0.0.9", dst="10.0.0.3") / ICMP(type=11) /
        Raw(bytes(IP(src="10.0.0.3", dst="8.8.8.8", ttl=1) /
                  TCP(sport=40001, dport=443, flags="S"))[:28]),
        IPv6(src="2001:db8::9", dst="2001:db8::3") / ICMPv6DestUnreach(code=4) /
        Raw(bytes(IPv6(src="2001:db8::3", dst="2001:db8::9") /
                  UDP(sport=40002, dport=33434) / Raw(b"probe"))),
        IPv6(src="::ffff:10.1.2.3", dst="2001:db8:0:0:1:0:0:1") /
        UDP(sport=1, dport=2) / Raw(b"q"),
    ]
    return out


def ether_packets():
    out = []
    a, b = "02:00:00:00:00:0a", "02:00:00:00:00:0b"
    for p in l3_packets():
        out.append(bytes(Ether(src=a, dst=b) / p))
    out.append(bytes(Ether(src=a, dst="ff:ff:ff:ff:ff:ff") /
                     ARP(op=1, hwsrc=a, psrc="10.0.0.1", pdst="10.0.0.2")))
    out.append(bytes(Ether(src=b, dst=a) /
                     ARP(op=2, hwsrc=b, psrc="10.0.0.2", hwdst=a,
                         pdst="10.0.0.1")) + b"\0" * 18)
    out.append(bytes(Ether(src=a, dst=b) / Dot1Q(vlan=42) /
                     IP(src="10.9.0.1", dst="10.9.0.2") /
                     UDP(sport=999, dport=53) /
                     DNS(qd=DNSQR(qname="vlan.example"))))
    out.append(bytes(Ether(src=a, dst=b) / Dot1AD(vlan=100) / Dot1Q(vlan=7) /
                     IPv6(src="2001:db8::7", dst="2001:db8::8") /
                     TCP(sport=1, dport=2, flags="R")))
    # Padded small frame, and truncated captures (snap length).
    out.append(bytes(Ether(src=a, dst=b) / IP(src="10.0.0.1", dst="10.0.0.2")
                     / TCP(sport=5, dport=6, flags="A")) + b"\0" * 6)
    full = bytes(Ether(src=a, dst=b) / IP(src="10.0.0.1", dst="10.0.0.2") /
                 UDP(sport=1234, dport=53) /
                 DNS(qd=DNSQR(qname="truncated.example")))
    out.append((full[:60], len(full)))
    full = bytes(Ether(src=a, dst=b) / IP(src="10.0.0.1", dst="10.0.0.2") /
                 TCP(sport=1, dport=80, flags="PA") /
                 Raw(b"GET / HTTP/1.1\r\nHost: cut.example\r\n\r\n" + b"x" * 900))
    out.append((full[:96], len(full)))
    return out


def build_captures():
    """The captures: link type -> (DLT, records)."""
    l3 = l3_packets()
    return {
        "ether": (DLT_EN10MB, ether_packets()),
        "rawip": (DLT_RAW, [bytes(p) for p in l3]),
        "loopback": (DLT_NULL,
                     [struct.pack("<I", 2 if p.version == 4 else 24) +
                      bytes(p) for p in l3]),
        "sll": (DLT_SLL, [bytes(CookedLinux(pkttype=0, lladdrtype=1,
                                            lladdrlen=6,
                                            src=b"\x02\0\0\0\0\x01\0\0",
                                            proto=0x800 if p.version == 4
                                            else 0x86dd) / p)
                          for p in l3]),
        "sll2": (DLT_SLL2, [struct.pack("!HHIHBB8s",
                                        0x800 if p.version == 4
                                        else 0x86dd, 0, 3, 1, 4, 6,
                                        b"\x02\0\0\0\0\x01\0\0") + bytes(p)
                            for p in l3]),
    }


def dump_ours(tool, path):
    res = subprocess.run([tool, path], capture_output=True, text=True,
                         timeout=60, check=True)
    rows = {}
    for line in res.stdout.splitlines():
        f = line.split("\t")
        layers = [OUR_LAYERS.get(x, x) for x in f[1].split(":")
                  if x and x not in OUR_IGNORED]
        rows[int(f[0])] = {
            "layers": layers, "arp": f[3], "ip": (f[4], f[5]),
            "ports": (f[6], f[7]), "dns": f[8], "sni": f[9],
            "method": f[10], "host": f[11], "vlan": f[12],
            "scapy": f[13].split("|") if f[13] else [], "answers": f[14]}
    return rows


def dump_tshark(path):
    cmd = ["tshark", "-n", "-r", path,
           # Packet by packet, as our dissector works: no reassembly.
           "-o", "ip.defragment:FALSE", "-o", "ipv6.defragment:FALSE",
           "-o", "tcp.desegment_tcp_streams:FALSE",
           "-o", "tcp.analyze_sequence_numbers:FALSE",
           "-T", "fields", "-E", "separator=\t",
           "-E", "occurrence=a", "-E", "aggregator=,"]
    for f in FIELDS:
        cmd += ["-e", f]
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=120,
                         check=True)
    rows = {}
    for line in res.stdout.splitlines():
        f = dict(zip(FIELDS, line.split("\t")))
        layers = [TSHARK_LAYERS[x] for x in f["frame.protocols"].split(":")
                  if x in TSHARK_LAYERS]
        arp = ""
        if f["arp.opcode"]:
            arp = ",".join([f["arp.opcode"], f["arp.src.hw_mac"],
                            f["arp.src.proto_ipv4"], f["arp.dst.hw_mac"],
                            f["arp.dst.proto_ipv4"]])
        # Outer headers only: ICMP errors quote a second set.
        f = {k: (v.split(",")[0] if k.startswith(("ip", "tcp", "udp"))
                 else v) for k, v in f.items()}
        ip = (f["ip.src"] or f["ipv6.src"], f["ip.dst"] or f["ipv6.dst"])
        ports = (f["tcp.srcport"] or f["udp.srcport"],
                 f["tcp.dstport"] or f["udp.dstport"])
        protos = f["frame.protocols"].split(":")
        if "icmp" in protos or "icmpv6" in protos:
            ports = ("", "")  # quoted ports: the view keeps the outer ones
        rows[int(f["frame.number"])] = {
            "layers": layers, "arp": arp, "ip": ip, "ports": ports,
            "dns": f["dns.qry.name"], "sni":
            f["tls.handshake.extensions_server_name"],
            "method": f["http.request.method"], "host": f["http.host"],
            "vlan": ",".join(x for x in (f["ieee8021ad.id"], f["vlan.id"])
                             if x),
            "answers": f["dns.resp.name"]}
    return rows


def compare_scapy(name, dlt, recs, ours):
    """Our layer names against scapy's own dissection of the same bytes."""
    cls = {DLT_EN10MB: Ether, DLT_SLL: CookedLinux, DLT_SLL2: CookedLinuxV2,
           # scapy binds IPv6 to Linux's AF_INET6 (10) only; the BSD value
           # (24) that tshark and we decode is Raw to it.  Compare IPv4.
           DLT_NULL: lambda b: Loopback(b) if b[0] == 2 else None,
           DLT_RAW: lambda b: IP(b) if b[0] >> 4 == 4 else IPv6(b)}.get(dlt)
    bad = 0
    for i, r in enumerate(recs):
        if not cls:
            break
        data = r if isinstance(r, bytes) else r[0]
        pkt = cls(data)
        if pkt is None:
            continue
        names = [l.name for l in pkt.iterpayloads()]
        if names != ours[i + 1]["scapy"]:
            print("%s frame %d: layer names: ours %r, scapy %r" %
                  (name, i + 1, ours[i + 1]["scapy"], names))
            bad += 1
    return bad


def compare(name, ours, theirs):
    bad = 0
    if sorted(ours) != sorted(theirs):
        print("%s: frame numbers differ: %d vs %d" %
              (name, len(ours), len(theirs)))
        return 1
    for n in sorted(ours):
        for k in theirs[n]:
            if ours[n][k] != theirs[n][k]:
                print("%s frame %d: %s: ours %r, tshark %r" %
                      (name, n, k, ours[n][k], theirs[n][k]))
                bad += 1
    return bad


def main():
    if len(sys.argv) != 2:
        print("usage: oracle.py DISSECT_DUMP")
        return 2
    if not shutil.which("tshark"):
        print("oracle: tshark not found, skipping")
        return 77
    seed = int(os.environ.get("ND_ORACLE_SEED", "1"))
    random.seed(seed)
    tmp = tempfile.mkdtemp(prefix="nd-oracle-")
    try:
        caps = build_captures()
        bad = 0
        total = 0
        seen = {"arp": 0, "dns": 0, "sni": 0, "host": 0, "vlan": 0,
                "answers": 0}
        for name, (dlt, recs) in caps.items():
            path = os.path.join(tmp, name + ".pcap")
            write_pcap(path, dlt, recs)
            ours = dump_ours(sys.argv[1], path)
            theirs = dump_tshark(path)
            bad += compare(name, ours, theirs)
            bad += compare_scapy(name, dlt, recs, ours)
            total += len(ours)
            for k, v in seen.items():
                seen[k] = v + sum(1 for r in theirs.values() if r[k])
        print("oracle: %d packets in %d captures, %d differences (seed %d);"
              " tshark saw %r" % (total, len(caps), bad, seed, seen))
        # An oracle that saw nothing proves nothing.
        for k, v in seen.items():
            if v == 0:
                print("oracle: tshark found no %s field at all" % k)
                bad += 1
        return 1 if bad else 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
