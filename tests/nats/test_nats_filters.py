"""Eaters' kitchen filters become the hub's NATS subscriptions: a hub whose
eaters all want one kitchen receives only that kitchen's dumplings from
NATS; when an unfiltered eater comes and goes the subscriptions widen and
narrow again while dumplings flow, and the filtered eater still gets every
dumpling of its kitchen exactly once; with no eater the hub unsubscribes.

Usage: test_nats_filters.py ND-HUB
"""
import asyncio
import sys

import natstest as nt

RATE = 500


async def main():
    with nt.NatsCluster(3) as cl:
        a = nt.start_hub(cl, 0, "--nats-hub-id", "hubA")
        b = nt.start_hub(cl, 1, "--nats-hub-id", "hubB")
        assert nt.nats_status(b)["subscriptions"] == [], nt.nats_status(b)
        ea = await nt.Eater(a, "all-a").start()
        fb = await nt.Eater(b, "only-ka", kitchens=["KA"]).start()
        await nt.until(lambda: nt.nats_status(b)["subscriptions"] == ["netdumplings.KA.>"], 10,
                       "hub B subscribed to KA only")
        ka = nt.Kitchen(a.in_uri, "KA")
        kx = nt.Kitchen(a.in_uri, "KX")
        await ka.connect()
        await kx.connect()
        for _ in range(200):
            await ka.send()
            await asyncio.sleep(0.05)
            if fb.seqs("KA"):
                break
        first = fb.seqs("KA")[0]
        await asyncio.gather(ka.send(500), kx.send(500))
        await nt.until(lambda: fb.seqs("KA")[-1:] == [ka.seq], 20, "KA at hub B")
        await nt.until(lambda: ea.seqs("KX")[-1:] == [kx.seq], 20, "KX at hub A")
        sb = nt.nats_status(b)
        assert not any(r["kitchen"] == "KX" for r in sb["remote_kitchens"]), (
            "hub B received KX though no eater wants it: %s" % sb["remote_kitchens"])
        assert not fb.seqs("KX")

        # Widen and narrow again while KA sends.
        async def come_and_go():
            await asyncio.sleep(1.0)
            wide = await nt.Eater(b, "everything").start()
            await nt.until(lambda: nt.nats_status(b)["subscriptions"] == ["netdumplings.>"], 10,
                           "hub B subscribed to everything")
            await asyncio.sleep(1.5)
            await wide.stop()
            await nt.until(lambda: nt.nats_status(b)["subscriptions"] == ["netdumplings.KA.>"],
                           10, "hub B back to KA only")
        await asyncio.gather(ka.send_at(RATE * 5, RATE), kx.send_at(RATE * 5, RATE), come_and_go())
        await nt.settle([fb], 1.5)
        got = fb.seqs("KA")
        sb = nt.nats_status(b)
        missing = sorted(set(range(first, ka.seq + 1)) - set(got))
        assert got == list(range(first, ka.seq + 1)), (
            "only-ka: %d dumplings for %d sent (%d distinct), missing %s; hub B: %s; %s" % (
                len(got), ka.seq - first + 1, len(set(got)), missing[:3] + missing[-3:],
                {k: sb.get(k) for k in ("copies_dropped", "received", "handoff_dropped",
                                        "slow_consumer_dropped", "remote_kitchens")},
                "kitchen send failures %d" % ka.send_failures))
        print("filtered eater got all %d KA dumplings once across 2 subscription changes; "
              "copies dropped by hub B: %d" % (len(got), sb["copies_dropped"]))

        await fb.stop()
        await nt.until(lambda: nt.nats_status(b)["subscriptions"] == [], 10, "hub B unsubscribed")
        for x in (ka, kx):
            await x.close()
        await ea.stop()
        nt.stop_hub(a)
        nt.stop_hub(b)
    print("PASS")


if __name__ == "__main__":
    nt.run(main())
    sys.exit(0)
