#!/usr/bin/python3
"""free_port.py: prints a TCP port on 127.0.0.1 that was free just now."""
import socket

s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
