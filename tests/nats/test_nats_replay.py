"""JetStream replay: a late eater asking "replay_seconds" gets the stored
dumplings in order, then the live ones, with no gap and no duplicate at the
seam, while kitchens on both hubs keep sending; and still none after a NATS
node restart.

Usage: test_nats_replay.py ND-HUB
"""
import asyncio
import sys

import natstest as nt

STREAM = "NDREPLAY"
N1 = 1500   # stored before the late eaters come
N2 = 1500   # sent while and after they come
RATE = 600


def check_in_order(eater, kitchen, n):
    got = eater.seqs(kitchen)
    assert got == list(range(1, n + 1)), (
        "%s: %s: %d dumplings (%d distinct); first out of place at index %s" %
        (eater.name, kitchen, len(got), len(set(got)),
         next((i for i, s in enumerate(got) if s != i + 1), None)))


async def main():
    with nt.NatsCluster(3, jetstream=True) as cl:
        js = ["--nats-stream", STREAM, "--nats-stream-replicas", "3",
              "--nats-stream-max-age", "600", "--nats-stream-max-bytes", "64M"]
        a = nt.start_hub(cl, 0, "--nats-hub-id", "hubA", *js)
        b = nt.start_hub(cl, 1, "--nats-hub-id", "hubB", *js)
        for h in (a, b):
            assert h.wait_log(r"nats: INFO: stream %s ready" % STREAM, 60), h.log()[-3000:]
        early = [await nt.Eater(a, "early-a").start(), await nt.Eater(b, "early-b").start()]
        ka = nt.Kitchen(a.in_uri, "KA")
        kb = nt.Kitchen(b.in_uri, "KB")
        await ka.connect()
        await kb.connect()
        wa, wb = await nt.warm_up(a, b, early)

        await asyncio.gather(ka.send(N1), kb.send(N1))
        await nt.until(lambda: all(len(e.seqs("KA")) >= N1 and len(e.seqs("KB")) >= N1
                                   for e in early), 60, "the first dumplings")

        # Late eaters join while both kitchens keep sending.
        late = []

        async def join_late():
            await asyncio.sleep(0.7)
            late.append(await nt.Eater(b, "late-b", replay_seconds=600).start())
            await asyncio.sleep(0.5)
            late.append(await nt.Eater(a, "late-a", replay_seconds=600).start())
        await asyncio.gather(ka.send_at(N2, RATE), kb.send_at(N2, RATE), join_late())
        total = N1 + N2
        await nt.until(lambda: all(len(e.seqs("KA")) >= total and len(e.seqs("KB")) >= total
                                   for e in late + early), 90, "every dumpling at every eater")
        await nt.settle(late + early, 1.0)
        for e in late + early:
            check_in_order(e, "KA", total)
            check_in_order(e, "KB", total)
        for e in late:
            assert e.other == 0, "%s: a replaying eater got %d dumplings from outside the stream" % (
                e.name, e.other)
        for h in (a, b):
            assert h.wait_log(r"replay caught up at stream sequence", 5), h.log()[-3000:]
            st = nt.nats_status(h)["stream"]
            assert st["replays"] == 1 and st["replays_refused"] == 0, st
            assert all(r["caught_up"] for r in st["replaying_eaters"]), st
        print("late eaters: %d stored then live dumplings each, in order, no gap, no duplicate"
              % (2 * total))

        # The stream survives a node restart (3 replicas) and the ordered
        # consumers carry on from their last sequence: hub B's own node
        # restarts while both kitchens send.  Not the stream's leader: hubs
        # publish with core NATS, and what is published while a new leader
        # is elected is not stored (docs/nats.md).
        victim = 1 if cl.stream_leader(STREAM) != 1 else 2

        async def restart_node():
            await asyncio.sleep(1.0)
            cl.stop(victim)
            await asyncio.sleep(2.0)
            cl.start(victim)
        await asyncio.gather(ka.send_at(N2, RATE), kb.send_at(N2, RATE), restart_node())
        total += N2
        await nt.until(lambda: all(len(e.seqs("KA")) >= total and len(e.seqs("KB")) >= total
                                   for e in late), 120, "every dumpling at the late eaters")
        await nt.settle(late, 1.0)
        for e in late:
            check_in_order(e, "KA", total)
            check_in_order(e, "KB", total)
        print("after node %d restarted: late eaters still have every dumpling once, in order"
              % victim)

        # Without a stream, or past the limit, a replay request is refused
        # and the eater gets live dumplings only.
        c = nt.start_hub(cl, 2, "--nats-hub-id", "hubC")
        plain = await nt.Eater(c, "asks-replay", replay_seconds=60).start()
        assert c.wait_log(r"asked for a replay: this hub keeps no stream", 10), c.log()[-2000:]
        for _ in range(200):
            await ka.send()
            await asyncio.sleep(0.05)
            if plain.seqs("KA"):
                break
        first = ka.seq + 1
        await ka.send(10)
        await nt.until(lambda: plain.seqs("KA")[-1:] == [first + 9], 20, "live dumplings at hub C")
        assert [s for s in plain.seqs("KA") if s >= first] == list(range(first, first + 10))
        assert plain.seqs("KA")[0] > total, "hub C replayed without a stream"

        for x in (ka, kb, wa, wb):
            await x.close()
        for e in late + early + [plain]:
            await e.stop()
        for h in (a, b, c):
            nt.stop_hub(h)
    print("PASS")


if __name__ == "__main__":
    nt.run(main())
    sys.exit(0)
