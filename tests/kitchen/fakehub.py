#!/usr/bin/python3
"""fakehub.py: a minimal hub for the kitchen's tests.

Accepts WebSocket connections on 127.0.0.1 (port given, or 0 for any free
one), writes the port to PORTFILE once listening, and appends one JSON line
per event to LOG, flushed at once:
  {"ev": "open", "conn": N}
  {"ev": "msg", "conn": N, "text": "<the message>"}
  {"ev": "close", "conn": N, "code": C}
"""
import asyncio
import json
import sys

import websockets

port, portfile, logpath = int(sys.argv[1]), sys.argv[2], sys.argv[3]
log = open(logpath, "a", buffering=1)
conns = 0


def record(obj):
    log.write(json.dumps(obj) + "\n")
    log.flush()


async def handler(ws, path=None):
    global conns
    conns += 1
    me = conns
    record({"ev": "open", "conn": me})
    try:
        async for msg in ws:
            record({"ev": "msg", "conn": me, "text": msg})
    except websockets.ConnectionClosed:
        pass
    record({"ev": "close", "conn": me, "code": ws.close_code})


async def main():
    async with websockets.serve(handler, "127.0.0.1", port, reuse_address=True,
                                max_size=None, ping_interval=None) as server:
        real = server.sockets[0].getsockname()[1]
        with open(portfile + ".tmp", "w") as f:
            f.write(str(real))
        import os
        os.rename(portfile + ".tmp", portfile)
        await asyncio.Future()

asyncio.run(main())
