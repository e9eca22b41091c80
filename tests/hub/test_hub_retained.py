"""Late eaters and filters.

- An eater that connects late first receives the latest interval dumpling
  of every kitchen/chef pair (retained), then live dumplings.
- Retained dumplings of a kitchen go when it disconnects.
- Eaters' optional "chefs" / "kitchens" filters limit what they are sent;
  status dumplings pass the kitchen filter.
- Gaps in kitchens' seq numbering and restarts show in status.
"""
import asyncio
import json

from hubtest import Hub, dumpling, eater, kitchen, run, wait_status


async def recv_json(ws, timeout=10):
    return json.loads(await asyncio.wait_for(ws.recv(), timeout))


async def main():
    with Hub("-f", "3600") as hub:
        k1 = await kitchen(hub, "k1")
        k2 = await kitchen(hub, "k2")
        for i in range(3):
            await k1.send(dumpling("StatsChef", "k1", driver="interval", v=i))
            await k1.send(dumpling("OtherChef", "k1", driver="interval", v=i))
            await k1.send(dumpling("PacketChef", "k1", v=i))
            await k2.send(dumpling("StatsChef", "k2", driver="interval", v=10 + i))
        await wait_status(hub, lambda st: st["total_dumplings_in"] == 12)

        late = await eater(hub, "late")
        got = [await recv_json(late) for _ in range(3)]
        seen = {(d["metadata"]["kitchen"], d["metadata"]["chef"]): d["payload"]["v"] for d in got}
        assert seen == {("k1", "StatsChef"): 2, ("k1", "OtherChef"): 2, ("k2", "StatsChef"): 12}, seen

        only_stats = await eater(hub, "stats-only", chefs=["StatsChef"])
        only_k2 = await eater(hub, "k2-only", kitchens=["k2"])
        got = [await recv_json(only_stats) for _ in range(2)]
        assert {d["metadata"]["kitchen"] for d in got} == {"k1", "k2"}
        assert all(d["metadata"]["chef"] == "StatsChef" for d in got)
        d = await recv_json(only_k2)
        assert d["metadata"]["kitchen"] == "k2"

        # Live dumplings honour the filters.
        await k1.send(dumpling("PacketChef", "k1", v=100))
        await k2.send(dumpling("PacketChef", "k2", v=200))
        await k2.send(dumpling("StatsChef", "k2", driver="interval", v=300))
        assert [(await recv_json(late))["payload"]["v"] for _ in range(3)] == [100, 200, 300]
        assert (await recv_json(only_stats))["payload"]["v"] == 300
        assert [(await recv_json(only_k2))["payload"]["v"] for _ in range(2)] == [200, 300]

        # k1 leaves: its retained dumplings go.
        await k1.close()
        await wait_status(hub, lambda st: st["dumpling_kitchen_count"] == 1)
        later = await eater(hub, "later")
        d = await recv_json(later)
        assert (d["metadata"]["kitchen"], d["payload"]["v"]) == ("k2", 300), d
        try:
            extra = await asyncio.wait_for(later.recv(), 0.5)
            raise AssertionError("unexpected retained dumpling: " + extra)
        except asyncio.TimeoutError:
            pass

        # Gap accounting: 1, 2, 5 (3 and 4 lost), then a restart at 2 (1 lost).
        k3 = await kitchen(hub, "k3")
        for seq, start in ((1, "a"), (2, "a"), (5, "a"), (2, "b"), (3, "b")):
            await k3.send(dumpling("SeqChef", "k3", seq=seq, start=start))
        st = await wait_status(hub, lambda st: any(
            k["info_from_kitchen"]["kitchen_name"] == "k3" and
            k["info_from_hub"].get("seq", {}).get("last") == 3 for k in st["dumpling_kitchens"]))
        seq = [k for k in st["dumpling_kitchens"]
               if k["info_from_kitchen"]["kitchen_name"] == "k3"][0]["info_from_hub"]["seq"]
        assert seq["gaps"] == 2 and seq["missing"] == 3 and seq["restarts"] == 1, seq
        assert seq["kitchen_start"] == "b"
        # netdumplings' kitchens (no seq) are not tracked.
        k2s = [k for k in st["dumpling_kitchens"]
               if k["info_from_kitchen"]["kitchen_name"] == "k2"][0]["info_from_hub"]
        assert "seq" not in k2s
        # Non-ASCII names arrive \u-escaped from Python kitchens (json.dumps'
        # default); filters still match them.
        uni = await eater(hub, "uni", chefs=["Ch\u00e9fBleu"])
        k4 = await kitchen(hub, "k\u00fcche")
        await k4.send(dumpling("Ch\u00e9fBleu", "k\u00fcche", v=1))
        await k4.send(dumpling("OtherChef", "k\u00fcche", v=2))
        await k4.send(dumpling("Ch\u00e9fBleu", "k\u00fcche", v=3))
        got = [await recv_json(uni) for _ in range(2)]
        assert [(d["metadata"]["chef"], d["payload"]["v"]) for d in got] == [
            ("Ch\u00e9fBleu", 1), ("Ch\u00e9fBleu", 3)], got
        for ws in (k2, k3, k4, late, only_stats, only_k2, later, uni):
            await ws.close()


run(main())
