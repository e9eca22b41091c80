"""Bad input is refused without collateral damage.

- Non-JSON, chef-less and over-size dumplings are dropped and counted while
  the kitchen's connection stays up and its later dumplings still flow.
- A bad first message (not JSON, no name) closes only that connection with
  code 4104 and leaves nothing registered.
- A message over --max-message-bytes closes the kitchen with 1009.
- A client that sends no first message is closed after --hello-timeout.
Each violation is logged with the peer's address.
"""
import asyncio
import json

import websockets

from hubtest import Hub, connect, dumpling, eater, kitchen, run, wait_status

MAX_DUMPLING = 4096
MAX_MESSAGE = 65536


async def expect_close(ws, code, timeout=10):
    try:
        while True:
            await asyncio.wait_for(ws.recv(), timeout)
    except websockets.ConnectionClosed as e:
        assert e.rcvd is not None and e.rcvd.code == code, "closed with %r, wanted %d" % (
            e.rcvd, code)


async def main():
    with Hub("-f", "3600", "--max-dumpling-bytes", str(MAX_DUMPLING), "--max-message-bytes",
             str(MAX_MESSAGE), "--hello-timeout", "1") as hub:
        ea = await eater(hub, "watcher")
        await wait_status(hub, lambda st: st["dumpling_eater_count"] == 1)
        k = await kitchen(hub, "k-bad")
        good = [dumpling("GoodChef", "k-bad", n=i) for i in range(3)]
        await k.send(good[0])
        await k.send("this is not json")
        await k.send(json.dumps({"metadata": {"kitchen": "k-bad"}, "payload": 1}))
        await k.send(json.dumps([1, 2, 3]))
        await k.send(dumpling("BigChef", "k-bad", pad=MAX_DUMPLING))
        # A fragmented over-size dumpling, discarded as it streams in.
        await k.send([("x" * 1000) for _ in range(10)])
        await k.send(good[1])
        await k.send(good[2])
        got = [await asyncio.wait_for(ea.recv(), 10) for _ in range(3)]
        assert got == good, got
        st = await wait_status(hub, lambda st: st["total_dumplings_invalid"] == 5)
        assert st["total_dumplings_in"] == 3
        assert st["total_dumplings_oversize"] == 2
        assert st["dumpling_kitchen_count"] == 1
        assert st["dumpling_kitchens"][0]["info_from_hub"]["invalid_dumplings"] == 5
        assert hub.wait_log(r"invalid dumpling dropped: kitchen=k-bad peer=127\.0\.0\.1:\d+: not JSON")
        assert hub.wait_log(r"invalid dumpling dropped: kitchen=k-bad peer=127\.0\.0\.1:\d+: no metadata\.chef")

        # Over the hard ceiling: 1009, only this kitchen.
        await k.send("y" * (MAX_MESSAGE + 10))
        await expect_close(k, 1009)
        assert hub.wait_log(r"kitchen closed: name=k-bad peer=127\.0\.0\.1:\d+: message larger")

        # Bad first messages: 4104, nothing half-registered.
        for uri, first in ((hub.in_uri, "not json"), (hub.in_uri, '{"name":"x"}'),
                           (hub.out_uri, "{}"), (hub.out_uri, '{"eater_name": 5}'),
                           (hub.in_uri, '["kitchen_name"]')):
            ws = await connect(uri)
            await ws.send(first)
            await expect_close(ws, 4104)
        assert hub.wait_log(r"kitchen refused: peer=127\.0\.0\.1:\d+: first message is not JSON")
        assert hub.wait_log(r"eater refused: peer=127\.0\.0\.1:\d+: first message has no \"eater_name\"")

        # Silent clients: closed after the first-message timeout.
        silent_k = await connect(hub.in_uri)
        silent_e = await connect(hub.out_uri)
        await expect_close(silent_k, 1008)
        await expect_close(silent_e, 1008)
        assert hub.wait_log(r"kitchen closed: peer=127\.0\.0\.1:\d+: no first message")

        st = await wait_status(hub, lambda st: st["dumpling_kitchen_count"] == 0 and
                               st["total_registrations_refused"] == 7)
        assert st["dumpling_eater_count"] == 1, st
        # The watcher was never disturbed and still gets dumplings.
        k2 = await kitchen(hub, "k-good")
        await k2.send(good[0])
        assert await asyncio.wait_for(ea.recv(), 10) == good[0]
        await k2.close()
        await ea.close()


run(main())
