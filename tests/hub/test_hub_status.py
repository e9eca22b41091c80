"""Status dumplings arrive on time with netdumplings' keys and correct
counts (total_dumplings_out counts status dumplings too); /status serves
the same payload and /metrics is valid Prometheus text."""
import asyncio
import json
import re
import time

from hubtest import Hub, dumpling, eater, kitchen, kitchen_hello, run

FREQ = 0.5
NETDUMPLINGS_KEYS = {"total_dumplings_in", "total_dumplings_out", "server_uptime",
                     "dumpling_kitchen_count", "dumpling_eater_count", "dumpling_kitchens",
                     "dumpling_eaters"}
METRIC_LINE = re.compile(
    r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*",?)*\})? '
    r'(-?[0-9.eE+-]+|NaN|[+-]Inf)$')


def parse_metrics(text):
    """A strict reading of the Prometheus text format (0.0.4)."""
    samples, types = {}, {}
    for line in text.splitlines():
        if not line:
            continue
        if line.startswith("# HELP "):
            continue
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ", 3)
            assert kind in ("counter", "gauge", "untyped", "summary", "histogram"), line
            assert name not in types, "TYPE twice: " + name
            types[name] = kind
            continue
        assert not line.startswith("#"), line
        m = METRIC_LINE.match(line)
        assert m, "not a metric line: %r" % line
        assert m.group(1) in types, "sample before its TYPE: " + line
        samples[m.group(1) + (m.group(2) or "")] = float(m.group(4))
    return samples


class Reader:
    """Reads one eater's messages, counting everything received."""

    def __init__(self, ws):
        self.ws = ws
        self.count = 0
        self.dumplings = 0

    async def next_status(self):
        """Returns (status dumpling, number of messages received before it)."""
        while True:
            d = json.loads(await asyncio.wait_for(self.ws.recv(), 10))
            self.count += 1
            if d["metadata"]["chef"] == "SystemStatusChef":
                return d, self.count - 1
            self.dumplings += 1


async def main():
    with Hub("-f", str(FREQ)) as hub:
        ea = await eater(hub, "status-eater")
        k = await kitchen(hub, "k-status")
        # Arrival times of several status dumplings.
        rd = Reader(ea)
        first, idx = await rd.next_status()
        assert first["payload"]["total_dumplings_out"] == idx == 0
        t0 = time.monotonic()
        for _ in range(4):
            st, idx = await rd.next_status()
            assert st["payload"]["total_dumplings_out"] == idx
        period = (time.monotonic() - t0) / 4
        # Generous bounds: catches wrong units or a missing timer, not jitter.
        assert FREQ * 0.5 < period < FREQ * 4, "status every %.3f s, wanted %.1f" % (period, FREQ)

        md = first["metadata"]
        assert md["driver"] == "interval" and "kitchen" in md and md["kitchen"] is None, md
        assert isinstance(md["creation_time"], float)
        p = first["payload"]
        assert NETDUMPLINGS_KEYS <= set(p), set(p)

        # Ten dumplings; then the next status must count them and every
        # delivery to this (only) eater, status dumplings included.
        for i in range(10):
            await k.send(dumpling("CountChef", "k-status", seq=i + 1, start="s1", n=i))
        while rd.dumplings < 10:
            await rd.next_status()
        await asyncio.sleep(0.1)  # quiet: nothing queued when the next is built
        st, idx = await rd.next_status()
        received = rd.count
        p = st["payload"]
        assert p["total_dumplings_in"] == 10, p
        # A status counts every delivery before it (status ones too), not itself.
        assert p["total_dumplings_out"] == idx, (p["total_dumplings_out"], idx)
        assert p["dumpling_kitchen_count"] == 1 and p["dumpling_eater_count"] == 1
        kit = p["dumpling_kitchens"][0]
        assert kit["info_from_kitchen"] == json.loads(kitchen_hello("k-status"))
        local = k.local_address
        assert kit["info_from_hub"]["host"] == local[0] and kit["info_from_hub"]["port"] == local[1]
        assert kit["info_from_hub"]["seq"]["last"] == 10
        eat = p["dumpling_eaters"][0]
        assert eat["info_from_eater"] == {"eater_name": "status-eater"}
        assert eat["info_from_hub"]["port"] == ea.local_address[1]
        assert p["server_uptime"] > 2 * FREQ

        # /status over HTTP, same shape.
        code, ctype, body = hub.http("/status")
        assert code == 200 and ctype.startswith("application/json")
        s = json.loads(body)
        assert NETDUMPLINGS_KEYS <= set(s) and s["total_dumplings_in"] == 10

        # /metrics parses and agrees.
        code, ctype, body = hub.http("/metrics")
        assert code == 200 and ctype.startswith("text/plain")
        m = parse_metrics(body.decode())
        assert m["nd_hub_dumplings_in_total"] == 10
        assert m["nd_hub_kitchens"] == 1 and m["nd_hub_eaters"] == 1
        assert m['nd_hub_kitchen_dumplings_in_total{kitchen="k-status",peer="127.0.0.1:%d"}'
                 % local[1]] == 10
        assert m["nd_hub_dumplings_out_total"] >= received

        try:
            hub.http("/nothing-here")
            raise AssertionError("expected a 404")
        except Exception as e:
            assert "404" in str(e), e
        await k.close()
        await ea.close()


run(main())
