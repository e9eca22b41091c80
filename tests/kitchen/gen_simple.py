#!/usr/bin/python3
"""gen_simple.py OUT COUNT SPACING_MS: writes COUNT UDP packets (Ethernet),
SPACING_MS apart, numbered in their payload, to OUT (pcap)."""
import sys

from scapy.all import Ether, IP, UDP, Raw, wrpcap

out, count, spacing = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]) / 1000.0
pkts = []
for i in range(count):
    p = (Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02") /
         IP(src="10.0.0.1", dst="10.0.0.2") / UDP(sport=40000, dport=9999) /
         Raw(b"packet %d" % i))
    p.time = 1700000000 + i * spacing
    pkts.append(p)
wrpcap(out, pkts)
