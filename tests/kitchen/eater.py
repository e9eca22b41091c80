#!/usr/bin/python3
"""eater.py URL OUT [READY]: a minimal dumpling eater: says hello, then
appends every message it receives to OUT as one line (flushed).  Touches
READY once the hello is sent."""
import asyncio
import json
import sys

import websockets

url, out = sys.argv[1], sys.argv[2]
ready = sys.argv[3] if len(sys.argv) > 3 else None


async def main():
    async with websockets.connect(url, max_size=None, ping_interval=None) as ws:
        await ws.send(json.dumps({"eater_name": "kitchen-test"}))
        if ready:
            open(ready, "w").close()
        with open(out, "a", buffering=1) as f:
            async for msg in ws:
                f.write(msg.replace("\n", " ") + "\n")
                f.flush()

asyncio.run(main())
