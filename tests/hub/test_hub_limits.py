"""Connection limits: over --max-per-address or --max-connections a new
connection is refused (logged with its address) and the others carry on."""
import asyncio

import websockets

from hubtest import Hub, connect, dumpling, eater, kitchen, run, wait_status


async def refused(uri):
    try:
        ws = await connect(uri)
    except (websockets.InvalidStatusCode, websockets.InvalidHandshake, ConnectionError, OSError):
        return True
    await ws.close()
    return False


async def main():
    with Hub("-f", "3600", "--max-per-address", "3", "--max-connections", "100") as hub:
        e1 = await eater(hub, "e1")
        e2 = await eater(hub, "e2")
        k = await kitchen(hub, "k")
        assert await refused(hub.out_uri)
        assert await refused(hub.in_uri)
        assert hub.wait_log(r"connection refused: peer=127\.0\.0\.1:\d+: already 3 connections from this address")
        await k.send(dumpling("C", "k", n=1))
        for e in (e1, e2):
            assert '"n": 1' in await asyncio.wait_for(e.recv(), 10)
        await e2.close()
        await wait_status(hub, lambda st: st["dumpling_eater_count"] == 1)
        e3 = await eater(hub, "e3")  # room again
        await wait_status(hub, lambda st: st["dumpling_eater_count"] == 2 and
                          st["total_connections_refused"] == 2)
        for ws in (e1, e3, k):
            await ws.close()

    with Hub("-f", "3600", "--max-connections", "2") as hub:
        e1 = await eater(hub, "e1")
        k = await kitchen(hub, "k")
        assert await refused(hub.out_uri)
        assert hub.wait_log(r"connection refused: peer=127\.0\.0\.1:\d+: already 2 connections \(limit\)")
        await k.send(dumpling("C", "k", n=2))
        assert '"n": 2' in await asyncio.wait_for(e1.recv(), 10)
        await e1.close()
        await k.close()


run(main())
