"""Compatibility with netdumplings' peers, written only from its protocol.

The kitchen and eaters below behave as netdumplings' nd-sniff,
DumplingEater, nd-hubstatus and nd-hubdetails do on the wire: plain
websockets.connect("ws://host:port") (path "/", no subprotocol, the library's
default permessage-deflate offer), a JSON first message, dumplings as
json.dumps of {"metadata": {chef, kitchen, creation_time, driver},
"payload"}, and close codes 4101 / 4102.  Run against the hub with
permessage-deflate declined (default) and accepted by the out-port
(--deflate; kitchens' links stay uncompressed), then dumplings of many sizes
over a compressed eater connection.
"""
import asyncio
import json
import random
import time

import websockets

from hubtest import Hub, run, wait_status

KITCHEN_INFO = {"kitchen_name": "nd-kitchen", "interface": "all",
                "filter": "tcp or udp or arp",
                "chefs": ["dnslookupchef.DNSLookupChef", "packetcountchef.PacketCountChef"],
                "poke_interval": 5}


def to_json(chef, kitchen, driver, payload):
    """netdumplings' Dumpling.to_json."""
    return json.dumps({"metadata": {"chef": chef, "kitchen": kitchen,
                                    "creation_time": time.time(), "driver": driver},
                       "payload": payload})


def from_json(text):
    """netdumplings' Dumpling.from_json: raises on anything it would reject."""
    d = json.loads(text)
    md = d["metadata"]
    if md["driver"] not in ("packet", "interval"):
        raise ValueError("Dumpling driver was not 'packet' or 'interval'")
    return {"chef": md["chef"], "kitchen": md["kitchen"], "driver": md["driver"],
            "creation_time": md["creation_time"], "payload": d["payload"]}


async def netdumplings_eater(uri, name, chef_filter, count, expect_ext):
    ws = await websockets.connect(uri)
    assert bool(ws.extensions) == expect_ext, ws.extensions
    await ws.send(json.dumps({"eater_name": name}))
    eaten = []
    while len(eaten) < count:
        d = from_json(await asyncio.wait_for(ws.recv(), 15))
        if chef_filter is None or d["chef"] in chef_filter:
            eaten.append(d)
    await ws.close(4102, "dumpling eater is full")
    return eaten


async def one_run(deflate):
    args = ["-f", "0.3"] + (["--deflate"] if deflate else [])
    with Hub(*args) as hub:
        printer = asyncio.create_task(
            netdumplings_eater(hub.out_uri, "printer", ["DNSLookupChef"], 3, deflate))
        status = asyncio.create_task(
            netdumplings_eater(hub.out_uri, "statuseater", ["SystemStatusChef"], 2, deflate))
        await wait_status(hub, lambda st: st["dumpling_eater_count"] == 2)

        kws = await websockets.connect(hub.in_uri)
        assert not kws.extensions  # the in-port never compresses (docs/hub.md)
        await kws.send(json.dumps(KITCHEN_INFO))
        sent = []
        for i in range(3):
            await kws.send(to_json("PacketCountChef", "nd-kitchen", "interval",
                                   {"packet_counts": {"TCP": i}}))
            sent.append({"lookup": {"hostname": "example%d.com" % i, "when": time.time()}})
            await kws.send(to_json("DNSLookupChef", "nd-kitchen", "packet", sent[-1]))

        eaten = await printer
        assert [d["payload"] for d in eaten] == sent
        assert all(d["kitchen"] == "nd-kitchen" for d in eaten)
        st = await status
        for d in st:
            p = d["payload"]
            # What nd-hubstatus prints.
            int(p["server_uptime"])
            for key in ("total_dumplings_in", "total_dumplings_out", "dumpling_kitchen_count",
                        "dumpling_eater_count"):
                assert isinstance(p[key], int), key
        p = st[-1]["payload"]
        assert p["dumpling_kitchen_count"] == 1
        assert p["dumpling_kitchens"][0]["info_from_kitchen"] == KITCHEN_INFO
        assert set(p["dumpling_kitchens"][0]["info_from_hub"]) >= {"host", "port"}

        # nd-hubdetails: one status dumpling, then 4102.
        details = await netdumplings_eater(hub.out_uri, "detailseater", ["SystemStatusChef"], 1,
                                           deflate)
        assert details[0]["payload"]["dumpling_kitchen_count"] == 1
        await kws.close(4101, "connection cancelled")
        await wait_status(hub, lambda st: st["dumpling_kitchen_count"] == 0 and
                          st["dumpling_eater_count"] == 0)
        assert hub.wait_log(r"kitchen disconnected: name=nd-kitchen")


async def deflate_sizes():
    """With --deflate, dumplings of every size reach a compressing eater
    intact: small ones compressed, large ones as plain frames."""
    rng = random.Random(7)
    with Hub("-f", "3600", "--deflate", "--queue-bytes", "64M") as hub:
        ws = await websockets.connect(hub.out_uri, max_size=None)
        assert ws.extensions, "permessage-deflate not negotiated"
        await ws.send(json.dumps({"eater_name": "sizes"}))
        await wait_status(hub, lambda st: st["dumpling_eater_count"] == 1)
        kws = await websockets.connect(hub.in_uri, max_size=None)
        await kws.send(json.dumps(KITCHEN_INFO))
        sent = []
        for i in range(400):
            n = rng.choice([10, 300, 500, 600, 700, 800, 2000, 20000])
            n = 400000 if i in (100, 300) else n
            blob = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789+/") for _ in range(n))
            sent.append(to_json("SizeChef", "nd-kitchen", "packet", {"i": i, "blob": blob}))
            await kws.send(sent[-1])
        for i, want in enumerate(sent):
            got = await asyncio.wait_for(ws.recv(), 30)
            if got != want:
                print(hub.status()["dumpling_eaters"])
            assert got == want, "dumpling %d differs (%d vs %d bytes)" % (i, len(got), len(want))
        await kws.close()
        await ws.close()


async def main():
    await one_run(False)
    await one_run(True)
    await deflate_sizes()


run(main())
