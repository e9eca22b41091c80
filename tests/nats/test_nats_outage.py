"""A whole NATS cluster outage: both hubs keep serving their own kitchens
and eaters, buffer what fits in libnats' (deliberately small) reconnect
buffer, count what did not fit, and resume when NATS returns; what other
hubs' eaters miss is exactly what the receiving hub counts missing.

Usage: test_nats_outage.py ND-HUB
"""
import asyncio
import sys
import time

import natstest as nt

RATE = 800


def check_exact(eater, kitchen, n):
    got = eater.seqs(kitchen)
    assert got == list(range(1, n + 1)), "%s: %s: %d of %d (%d distinct)" % (
        eater.name, kitchen, len(got), n, len(set(got)))


async def main():
    with nt.NatsCluster(3) as cl:
        small = ["--nats-reconnect-buffer", "64k"]
        a = nt.start_hub(cl, 0, "--nats-hub-id", "hubA", *small)
        b = nt.start_hub(cl, 2, "--nats-hub-id", "hubB", *small)
        eaters = [await nt.Eater(a, "a1").start(), await nt.Eater(b, "b1").start()]
        ka = nt.Kitchen(a.in_uri, "KA")
        kb = nt.Kitchen(b.in_uri, "KB")
        await ka.connect()
        await kb.connect()
        # Warm up until dumplings cross both ways, then start counting.
        for _ in range(200):
            await ka.send()
            await kb.send()
            await asyncio.sleep(0.05)
            if eaters[0].seqs("KB") and eaters[1].seqs("KA"):
                break
        assert eaters[0].seqs("KB") and eaters[1].seqs("KA"), "no cross-hub delivery"
        # The warm-up dumplings before the first crossing are lost on purpose
        # (no interest yet): the hubs do not count them (a hub starts tracking
        # a remote kitchen at the first dumpling it sees), so count from there.
        first_kb, first_ka = eaters[0].seqs("KB")[0], eaters[1].seqs("KA")[0]

        during = {}

        async def outage():
            await asyncio.sleep(1.0)
            for i in range(3):
                cl.stop(i)
            await asyncio.sleep(1.0)
            # Meanwhile the hubs serve their own kitchens and eaters.
            n0 = len(eaters[0].seqs("KA"))
            await asyncio.sleep(1.0)
            during["local_a"] = len(eaters[0].seqs("KA")) - n0
            during["nats_a"] = await nt.status_async(a)
            for i in range(3):
                cl.start(i)
        t0 = time.monotonic()
        await asyncio.gather(ka.send_at(RATE * 8, RATE), kb.send_at(RATE * 8, RATE), outage())
        await nt.settle(eaters, 3.0)
        assert during["local_a"] > 0, "hub A stopped serving its own eater: %s" % during
        assert during["nats_a"]["nats"]["connected"] is False, during["nats_a"]["nats"]
        sa, sb = nt.nats_status(a), nt.nats_status(b)
        for s in (sa, sb):
            assert s["disconnects"] >= 1 and s["reconnects"] >= 1 and s["connected"], s
        check_exact(eaters[0], "KA", ka.seq)
        check_exact(eaters[1], "KB", kb.seq)
        miss_b = [r for r in sa["remote_kitchens"] if r["kitchen"] == "KB"][0]["seq"]["missing"]
        miss_a = [r for r in sb["remote_kitchens"] if r["kitchen"] == "KA"][0]["seq"]["missing"]
        eaters[0].got = [(k, s) for k, s in eaters[0].got if k != "KB" or s >= first_kb]
        eaters[1].got = [(k, s) for k, s in eaters[1].got if k != "KA" or s >= first_ka]
        lost_b = check_accounted_from(eaters[0], "KB", first_kb, kb.seq, miss_b)
        lost_a = check_accounted_from(eaters[1], "KA", first_ka, ka.seq, miss_a)
        # What did not fit in the reconnect buffer is lost and counted on
        # both sides: publish_failed at the sender, missing at the receiver.
        assert sa["publish_failed"] > 0 and sb["publish_failed"] > 0, (sa, sb)
        assert lost_a >= sa["publish_failed"] and lost_b >= sb["publish_failed"], (sa, sb)
        print("%.1f s of sending with a 2 s outage of all nodes: hub A publish_failed=%d, hub B missing KA=%d; hub B "
              "publish_failed=%d, hub A missing KB=%d; local eaters lost nothing"
              % (time.monotonic() - t0, sa["publish_failed"], lost_a, sb["publish_failed"], lost_b))

        # Dumplings flow again both ways.
        n0, n1 = len(eaters[0].seqs("KB")), len(eaters[1].seqs("KA"))
        await asyncio.gather(ka.send(100), kb.send(100))
        await nt.until(lambda: len(eaters[0].seqs("KB")) >= n0 + 100 and
                       len(eaters[1].seqs("KA")) >= n1 + 100, 20, "dumplings after the outage")
        for x in (ka, kb):
            await x.close()
        for e in eaters:
            await e.stop()
        nt.stop_hub(a)
        nt.stop_hub(b)
    print("PASS")


def check_accounted_from(eater, kitchen, first, sent, missing):
    got = eater.seqs(kitchen)
    assert len(got) == len(set(got)), "%s: %s: duplicates" % (eater.name, kitchen)
    assert got == sorted(got), "%s: %s: out of order" % (eater.name, kitchen)
    absent = set(range(first, sent + 1)) - set(got)
    assert len(absent) == missing, "%s: %s: %d absent, the hub counts %d missing" % (
        eater.name, kitchen, len(absent), missing)
    assert got[-1] == sent, "%s: %s: the last dumplings never came" % (eater.name, kitchen)
    return len(absent)


if __name__ == "__main__":
    nt.run(main())
    sys.exit(0)
