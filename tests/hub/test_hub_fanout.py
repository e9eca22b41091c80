"""Every eater receives every kitchen's dumplings, byte for byte, in the
order each kitchen sent them."""
import asyncio

from hubtest import Hub, dumpling, eater, kitchen, run

N = 2000
KITCHENS = 2
EATERS = 3


async def collect(ws, n):
    got = []
    while len(got) < n:
        msg = await ws.recv()
        if '"SystemStatusChef"' in msg:
            continue
        got.append(msg)
    return got


async def main():
    with Hub("-f", "3600") as hub:
        eaters = [await eater(hub, "e%d" % i) for i in range(EATERS)]
        from hubtest import wait_status
        await wait_status(hub, lambda st: st["dumpling_eater_count"] == EATERS)
        kitchens = [await kitchen(hub, "k%d" % i) for i in range(KITCHENS)]
        sent = {i: [dumpling("OrderChef", "k%d" % i, seq=s + 1, start="run1", n=s)
                    for s in range(N)] for i in range(KITCHENS)}

        async def produce(i):
            for d in sent[i]:
                await kitchens[i].send(d)

        tasks = [asyncio.create_task(collect(e, N * KITCHENS)) for e in eaters]
        await asyncio.gather(*(produce(i) for i in range(KITCHENS)))
        results = await asyncio.gather(*tasks)
        for got in results:
            for i in range(KITCHENS):
                mine = [m for m in got if '"kitchen": "k%d"' % i in m]
                assert mine == sent[i], "kitchen k%d: order or bytes differ" % i
        st = hub.status()
        assert st["total_dumplings_in"] == N * KITCHENS, st["total_dumplings_in"]
        assert st["total_dumplings_out"] == N * KITCHENS * EATERS, st["total_dumplings_out"]
        assert st["total_dumplings_dropped"] == 0
        for k in st["dumpling_kitchens"]:
            seq = k["info_from_hub"]["seq"]
            assert seq["gaps"] == 0 and seq["last"] == N, seq
        for ws in eaters + kitchens:
            await ws.close()


run(main())
