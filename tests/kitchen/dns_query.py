#!/usr/bin/python3
"""dns_query.py SERVER NAME COUNT: sends COUNT DNS A queries for NAME to
SERVER:53 over UDP (no answer is awaited)."""
import socket
import struct
import sys
import time

server, name, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
qname = b"".join(bytes([len(p)]) + p.encode() for p in name.split(".")) + b"\0"
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(count):
    msg = struct.pack("!HHHHHH", 0x1000 + i, 0x0100, 1, 0, 0, 0) + qname + struct.pack("!HH", 1, 1)
    s.sendto(msg, (server, 53))
    time.sleep(0.01)
