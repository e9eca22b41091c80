"""A stalled eater is capped, then dropped, while a healthy eater receives
everything in order and the kitchen is never disconnected.

The stalled eater registers over a raw socket with a tiny receive buffer
and never reads.  Its queue must stay within --queue-dumplings and
--queue-bytes, it must be closed for being too slow (counted in status,
logged with its address), and the healthy eater must get every dumpling.
"""
import asyncio
import json

from hubtest import Hub, RawEater, dumpling, eater, kitchen, run, wait_status

N = 40000
QUEUE = 200
QUEUE_BYTES = 256 * 1024


async def main():
    with Hub("-f", "3600", "--queue-dumplings", str(QUEUE), "--queue-bytes", str(QUEUE_BYTES),
             "--too-slow", "2", "--flow-grace", "1") as hub:
        healthy = await eater(hub, "healthy")
        stalled = RawEater(hub.host, hub.out_port, "stalled")
        try:
            await wait_status(hub, lambda st: st["dumpling_eater_count"] == 2)
            k = await kitchen(hub, "k-fast")
            got = []
            max_queued = 0
            done = asyncio.Event()

            async def consume():
                while len(got) < N:
                    m = await healthy.recv()
                    if '"SystemStatusChef"' not in m:
                        got.append(m)
                done.set()

            async def watch():
                nonlocal max_queued
                loop = asyncio.get_running_loop()
                while not done.is_set():
                    st = await loop.run_in_executor(None, hub.status)
                    for e in st["dumpling_eaters"]:
                        if e["info_from_eater"]["eater_name"] == "stalled":
                            q = e["info_from_hub"]
                            assert q["queued"] <= QUEUE, q
                            assert q["queued_bytes"] <= QUEUE_BYTES, q
                            max_queued = max(max_queued, q["queued"])
                    await asyncio.sleep(0.05)

            consumer = asyncio.create_task(consume())
            watcher = asyncio.create_task(watch())
            for i in range(N):
                await k.send(dumpling("FloodChef", "k-fast", seq=i + 1, start="r1", n=i))
            await consumer
            await watcher
            nums = [json.loads(m)["payload"]["n"] for m in got]
            assert nums == list(range(N)), "healthy eater missed or reordered dumplings"
            assert max_queued > QUEUE // 2, "the stalled eater's queue never filled (%d)" % max_queued
            st = await wait_status(hub, lambda st: st["total_eaters_too_slow"] == 1, timeout=30)
            assert st["dumpling_eater_count"] == 1, st["dumpling_eater_count"]
            assert st["dumpling_kitchen_count"] == 1
            assert st["total_dumplings_in"] == N
            assert st["total_dumplings_dropped"] > 0
            healthy_q = st["dumpling_eaters"][0]["info_from_hub"]
            assert healthy_q["dropped"] == 0 and healthy_q["dumplings_out"] == N, healthy_q
            assert hub.wait_log(r"eater closed: name=stalled peer=127\.0\.0\.1:\d+: queue full")
            # The kitchen is still connected and still delivers.
            await k.send(dumpling("FloodChef", "k-fast", seq=N + 1, start="r1", n=N))
            assert '"n": %d' % N in await asyncio.wait_for(healthy.recv(), 10)
            await k.close()
            await healthy.close()
        finally:
            stalled.close()


run(main())
