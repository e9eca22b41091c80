"""Two nd-hubs on a three-node NATS cluster: every eater gets every dumpling
exactly once; a NATS node restart and a hub restart lose nothing beyond
what the hubs' counters report.

Usage: test_nats_cluster.py ND-HUB
"""
import asyncio
import sys

import natstest as nt

N1 = 3000      # phase 1: each kitchen, as fast as it can
RATE = 800     # phases 2 and 3: dumplings per second per kitchen


def check_exact(eater, kitchen, n):
    got = eater.seqs(kitchen)
    assert got == list(range(1, n + 1)), (
        "%s: %s: %d dumplings, %d distinct, first missing %s" %
        (eater.name, kitchen, len(got), len(set(got)),
         next((s for s in range(1, n + 1) if s not in set(got)), None)))


def check_accounted(eater, kitchen, sent, missing, first=1):
    """No duplicate, in order, and what is absent is what the hub counted."""
    got = [s for s in eater.seqs(kitchen) if s >= first]
    assert len(got) == len(set(got)), "%s: %s: duplicates" % (eater.name, kitchen)
    assert got == sorted(got), "%s: %s: out of order" % (eater.name, kitchen)
    absent = sorted(set(range(first, sent + 1)) - set(got))
    assert len(absent) == missing, (
        "%s: %s: %d absent (%s...) but the hub counts %d missing" %
        (eater.name, kitchen, len(absent), absent[:10], missing))
    assert got and got[-1] == sent, "%s: %s: the last dumplings never came" % (eater.name, kitchen)
    return len(absent)


async def main():
    with nt.NatsCluster(3) as cl:
        pa, pb = nt.free_ports(2), nt.free_ports(2)
        a = nt.start_hub(cl, 0, "--nats-hub-id", "hubA", ports=pa)
        b = nt.start_hub(cl, 1, "--nats-hub-id", "hubB", ports=pb)
        await nt.until(lambda: nt.cluster_size(a) == 2 and nt.cluster_size(b) == 2, 30,
                       "both hubs in both cluster views")
        st = await nt.status_async(a)
        assert {h["hub_id"] for h in st["cluster"]["hubs"]} == {"hubA", "hubB"}, st["cluster"]

        eaters = [await nt.Eater(a, "a1").start(), await nt.Eater(a, "a2").start(),
                  await nt.Eater(b, "b1").start(), await nt.Eater(b, "b2").start()]
        ka = nt.Kitchen(a.in_uri, "KA")
        kb = nt.Kitchen(b.in_uri, "KB")
        await ka.connect()
        await kb.connect()
        wa, wb = await nt.warm_up(a, b, eaters)
        await nt.until(lambda: any("KA" in h["kitchens"] and not h.get("self")
                                   for h in b.status()["cluster"]["hubs"]), 10,
                       "hub A's kitchen KA in hub B's cluster view")

        # Phase 1: everything, exactly once, to every eater.
        await asyncio.gather(ka.send(N1), kb.send(N1))
        await nt.until(lambda: all(len(e.seqs("KA")) >= N1 and len(e.seqs("KB")) >= N1
                                   for e in eaters), 90, "phase 1 deliveries")
        await nt.settle(eaters, 1.0)
        for e in eaters:
            check_exact(e, "KA", N1)
            check_exact(e, "KB", N1)
        print("phase 1: %d eaters got all %d dumplings exactly once" % (len(eaters), 2 * N1))
        metrics = a.http("/metrics")[2].decode()
        vals = dict(l.split() for l in metrics.splitlines() if l.startswith("nd_hub_nats_"))
        assert vals["nd_hub_nats_connected"] == "1", vals
        assert int(vals["nd_hub_nats_published_total"]) >= N1, vals
        assert int(vals["nd_hub_nats_received_total"]) >= N1, vals

        # Phase 2: hub B's NATS node restarts while both kitchens send.
        async def restart_node():
            await asyncio.sleep(1.0)
            cl.stop(1)
            await asyncio.sleep(2.0)
            cl.start(1)
        await asyncio.gather(ka.send_at(RATE * 7, RATE), kb.send_at(RATE * 7, RATE), restart_node())
        await nt.settle(eaters, 2.0)
        sa, sb = nt.nats_status(a), nt.nats_status(b)
        assert sb["disconnects"] >= 1 and sb["reconnects"] >= 1, sb
        lost = {}
        for e, hub_st, remote in ((eaters[0], sa, "KB"), (eaters[1], sa, "KB"),
                                  (eaters[2], sb, "KA"), (eaters[3], sb, "KA")):
            local = "KA" if remote == "KB" else "KB"
            sent_local = (ka if local == "KA" else kb).seq
            sent_remote = (ka if remote == "KA" else kb).seq
            check_exact(e, local, sent_local)
            rk = [r for r in hub_st["remote_kitchens"] if r["kitchen"] == remote][0]
            lost[e.name] = check_accounted(e, remote, sent_remote, rk["seq"]["missing"])
        print("phase 2 (NATS node restart): lost and counted per eater %s; hub B publish_failed=%d, "
              "hub A publish_failed=%d" % (lost, sb["publish_failed"], sa["publish_failed"]))

        # Phase 3: hub B restarts (same ports) while both kitchens send.
        before_b = nt.remote_missing(a, "KB")

        async def restart_hub():
            nonlocal b
            await asyncio.sleep(1.0)
            for e in eaters[2:]:
                await e.stop()
            nt.stop_hub(b)
            await asyncio.sleep(1.0)
            b = nt.start_hub(cl, 1, "--nats-hub-id", "hubB2", ports=pb)
        await asyncio.gather(ka.send_at(RATE * 6, RATE), kb.send_at(RATE * 6, RATE), restart_hub())
        await nt.settle(eaters[:2], 2.0)
        sa = nt.nats_status(a)
        rk = [r for r in sa["remote_kitchens"] if r["kitchen"] == "KB"][0]
        for e in eaters[:2]:
            check_exact(e, "KA", ka.seq)
            check_accounted(e, "KB", kb.seq, rk["seq"]["missing"])
        print("phase 3 (hub restart): hub A counts %d KB dumplings missing (%d before), "
              "KB send failures %d" % (rk["seq"]["missing"], before_b, kb.send_failures))
        await nt.until(lambda: nt.cluster_size(a) >= 2, 10, "hubB2 in hub A's view")
        for x in (ka, kb, wa, wb):
            await x.close()
        for e in eaters[:2]:
            await e.stop()
        nt.stop_hub(a)
        nt.stop_hub(b)
    print("PASS")


if __name__ == "__main__":
    nt.run(main())
    sys.exit(0)
