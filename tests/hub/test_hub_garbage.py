"""Mutated and random messages from a kitchen: the hub stays up, keeps the
kitchen connected, accounts for every message (valid + invalid == sent),
and forwards only valid dumplings, byte for byte.  Seeded, so repeatable."""
import asyncio
import json
import random

from hubtest import Hub, dumpling, eater, kitchen, run, wait_status

N = 3000
ALPHABET = '{}[]",:\\ -0123456789.eEtrufalsnu\t\n\x7f\u00e9\u20ac'


def mutate(rng, text):
    s = list(text)
    for _ in range(rng.randint(1, 4)):
        if not s:
            break
        i = rng.randrange(len(s))
        op = rng.randrange(4)
        if op == 0:
            s[i] = rng.choice(ALPHABET)
        elif op == 1:
            s.insert(i, rng.choice(ALPHABET))
        elif op == 2:
            del s[i]
        else:
            del s[i:]
    return "".join(s)


async def main():
    rng = random.Random(20261126)
    with Hub("-f", "3600", "--max-dumpling-bytes", "2048") as hub:
        ea = await eater(hub, "garbage-eater")
        await wait_status(hub, lambda st: st["dumpling_eater_count"] == 1)
        k = await kitchen(hub, "k-garbage")
        sent = set()
        for i in range(N):
            base = dumpling(rng.choice(["A", "B"]), "k-garbage", seq=i + 1, start="g",
                            driver=rng.choice(["packet", "interval"]), pad=rng.randint(0, 50),
                            v=[i, {"x": None, "y": True}])
            r = rng.random()
            if r < 0.5:
                msg = mutate(rng, base)
            elif r < 0.6:
                msg = bytes(rng.randrange(256) for _ in range(rng.randint(0, 64)))
            else:
                msg = base
            if isinstance(msg, str):
                sent.add(msg)
            await k.send(msg)
        st = await wait_status(hub, lambda st: st["total_dumplings_in"] +
                               st["total_dumplings_invalid"] == N, timeout=30)
        assert st["dumpling_kitchen_count"] == 1, "the kitchen was dropped"
        n_in = st["total_dumplings_in"]
        assert N * 0.4 < n_in < N, n_in
        got = [await asyncio.wait_for(ea.recv(), 10) for _ in range(n_in)]
        for m in got:
            assert m in sent, "forwarded bytes differ from any sent: %r" % m[:80]
            d = json.loads(m)
            assert isinstance(d["metadata"]["chef"], str)
        await k.close()
        await ea.close()


run(main())
