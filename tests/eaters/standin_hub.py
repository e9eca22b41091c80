#!/usr/bin/python3
"""standin_hub.py: a scripted stand-in for a hub's eater port, for the eater
library's tests.  Listens on 127.0.0.1 (port 0 unless --port), prints
"PORT <n>" on stdout, and for each eater that connects: reads its hello,
logs it, and sends the next messages of --send (one message per line; a
line starting with "FRAG " is sent as a fragmented message of 7-byte
pieces).  With --close-after K it closes each connection (1001) after K
messages; the position in the file carries over to the next connection.
Each connection's close code is logged too.
"""
import argparse
import asyncio
import sys

import websockets


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--send", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--close-after", type=int, default=0)
    args = ap.parse_args()
    with open(args.send, encoding="utf-8") as f:
        messages = [line.rstrip("\n") for line in f if line.strip()]
    state = {"next": 0}

    def log(line):
        with open(args.log, "a", encoding="utf-8") as f:
            f.write(line + "\n")

    async def handler(ws, path=None):
        sent = 0
        try:
            hello = await ws.recv()
            log("hello " + hello)
            while state["next"] < len(messages):
                msg = messages[state["next"]]
                state["next"] += 1
                if msg.startswith("FRAG "):
                    msg = msg[5:]
                    await ws.send(iter([msg[i:i + 7] for i in range(0, len(msg), 7)]))
                else:
                    await ws.send(msg)
                sent += 1
                if args.close_after and sent >= args.close_after:
                    await ws.close(1001, "going away")
                    break
            await ws.wait_closed()
        except websockets.ConnectionClosed:
            pass
        log("close %s" % ws.close_code)

    async def serve():
        async with websockets.serve(handler, "127.0.0.1", args.port,
                                    compression=None) as server:
            port = server.sockets[0].getsockname()[1]
            print("PORT %d" % port, flush=True)
            await asyncio.Future()

    try:
        asyncio.run(serve())
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
