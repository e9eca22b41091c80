"""Connection floods against nd-hub while a healthy kitchen and eater work.

A kitchen streams numbered dumplings and an eater must receive every one
of them, in order, through:
  1. thousands of TCP connections to both ports that never send a byte;
  2. hundreds that send the upgrade request one byte at a time (slowloris);
  3. WebSocket connections from one address (127.0.0.2) far beyond the
     per-address cap, upgraded but never sending a first message.
Afterwards the idle and slow connections are gone (closed by the hub's
timeouts), the refusals are counted in /metrics, a new eater connects
normally, and the hub's resident memory stayed bounded.
"""
import asyncio
import base64
import json
import os
import resource
import socket
import time

import websockets

from sectest import Hub, dumpling, kitchen_hello, metrics, run

IDLE_CONNS = 2000
SLOW_CONNS = 200
PER_ADDR_CAP = 50
CAPPED_ATTEMPTS = 300
RSS_BOUND_KB = 96 * 1024


def rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def raise_fd_limit(n):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = min(max(soft, n), hard)
    resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    return want


def upgrade_request(port):
    key = base64.b64encode(os.urandom(16)).decode()
    return ("GET / HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\n"
            "Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\n"
            "Sec-WebSocket-Version: 13\r\n\r\n" % (port, key)).encode()


def open_idle(port, n, src="127.0.0.1"):
    socks = []
    for _ in range(n):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setblocking(True)
        s.settimeout(5)
        try:
            s.bind((src, 0))
            s.connect(("127.0.0.1", port))
        except OSError:
            s.close()
            continue
        s.setblocking(False)
        socks.append(s)
    return socks


def alive(socks):
    """How many of socks the hub has not closed."""
    n = 0
    for s in socks:
        try:
            d = s.recv(65536)
            if d == b"":
                continue
        except BlockingIOError:
            pass
        except OSError:
            continue
        n += 1
    return n


class Healthy:
    """A kitchen sending numbered dumplings and an eater checking them."""

    def __init__(self, hub):
        self.hub = hub
        self.sent = 0
        self.got = []
        self.stop = False

    async def start(self):
        self.k = await websockets.connect(self.hub.in_uri, open_timeout=10, close_timeout=2)
        await self.k.send(kitchen_hello("healthy"))
        self.e = await websockets.connect(self.hub.out_uri, open_timeout=10, max_size=None,
                                          close_timeout=2)
        await self.e.send(json.dumps({"eater_name": "healthy", "chefs": ["FloodChef"]}))
        await asyncio.sleep(0.3)
        self.tasks = [asyncio.create_task(self.produce()), asyncio.create_task(self.consume())]

    async def produce(self):
        while not self.stop:
            for _ in range(10):
                self.sent += 1
                await self.k.send(dumpling("FloodChef", "healthy", seq=self.sent, n=self.sent))
            await asyncio.sleep(0.02)

    async def consume(self):
        while True:
            d = json.loads(await self.e.recv())
            self.got.append(d["payload"]["n"])

    async def finish(self):
        self.stop = True
        await self.tasks[0]
        ok = await wait_for_count(lambda: len(self.got) >= self.sent, 20)
        self.tasks[1].cancel()
        assert ok, "eater got %d of %d dumplings" % (len(self.got), self.sent)
        assert self.got == list(range(1, self.sent + 1)), "gaps or reordering"
        await self.k.close()
        await self.e.close()
        return self.sent


async def wait_for_count(pred, timeout):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return True
        await asyncio.sleep(0.05)
    return pred()


async def slowloris(port, n, stop):
    """n connections sending the upgrade request one byte every 0.2 s."""
    loop = asyncio.get_running_loop()
    socks = await loop.run_in_executor(None, open_idle, port, n)
    req = upgrade_request(port)
    i = 0
    while not stop.is_set() and i < len(req):
        for s in socks:
            try:
                s.send(req[i:i + 1])
            except OSError:
                pass
        i += 1
        await asyncio.sleep(0.2)
    return socks


async def capped(hub):
    """WebSocket connections from 127.0.0.2 beyond the per-address cap."""
    ok, refused = [], 0
    for _ in range(CAPPED_ATTEMPTS):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.settimeout(5)
        try:
            s.bind(("127.0.0.2", 0))
            s.connect(("127.0.0.1", hub.out_port))
            s.sendall(upgrade_request(hub.out_port))
            resp = s.recv(4096)
        except OSError:
            resp = b""
        if resp.startswith(b"HTTP/1.1 101"):
            ok.append(s)
        else:
            refused += 1
            s.close()
    return ok, refused


async def main():
    raise_fd_limit(IDLE_CONNS * 2 + 2048)
    with Hub("--max-per-address", str(PER_ADDR_CAP), "--hello-timeout", "3",
             "--max-connections", "1024") as hub:
        pid = hub.proc.pid
        loop = asyncio.get_running_loop()
        before = metrics(hub)
        healthy = Healthy(hub)
        await healthy.start()
        base_rss = rss_kb(pid)
        t0 = time.monotonic()
        peak = base_rss

        # 1. Idle TCP connections to both ports, more than the hub has
        # descriptors for: the excess is dropped at accept, the rest at the
        # header timeout.
        idle = await loop.run_in_executor(None, open_idle, hub.in_port, IDLE_CONNS // 2)
        idle += await loop.run_in_executor(None, open_idle, hub.out_port, IDLE_CONNS // 2)
        peak = max(peak, rss_kb(pid))
        assert await wait_for_count(lambda: alive(idle) == 0, 45), \
            "%d idle connections still open" % alive(idle)
        t_idle = time.monotonic()
        for s in idle:
            s.close()
        # 2. Slowloris, in the background, and 3. the per-address cap.
        stop = asyncio.Event()
        slow_task = asyncio.create_task(slowloris(hub.out_port, SLOW_CONNS, stop))
        mid = metrics(hub)
        ws_ok, ws_refused = await capped(hub)
        peak = max(peak, rss_kb(pid))
        assert len(ws_ok) <= PER_ADDR_CAP, "cap not enforced: %d upgraded" % len(ws_ok)
        assert ws_refused >= CAPPED_ATTEMPTS - PER_ADDR_CAP, ws_refused
        # A new eater from another address still gets in during the flood.
        e2 = await websockets.connect(hub.out_uri, open_timeout=10, close_timeout=2)
        await e2.send(json.dumps({"eater_name": "newcomer", "chefs": ["NoSuchChef"]}))
        after = metrics(hub)
        assert after["nd_hub_connections_refused_total"] - mid[
            "nd_hub_connections_refused_total"] >= CAPPED_ATTEMPTS - PER_ADDR_CAP, (mid, after)
        await asyncio.sleep(1)
        peak = max(peak, rss_kb(pid))

        # The hub closes the rest by itself: slow ones at its header
        # timeout, capped ones at --hello-timeout.
        stop.set()
        slow = await slow_task
        all_socks = slow + ws_ok
        t_stop = time.monotonic()
        assert await wait_for_count(lambda: alive(all_socks) == 0, 30), \
            "%d flood connections still open" % alive(all_socks)
        print("phases: idle flood gone after %.1f s; slow/capped phase %.1f s; gone %.1f s later"
              % (t_idle - t0, t_stop - t_idle, time.monotonic() - t_stop))
        for s in all_socks:
            s.close()
        sent = await healthy.finish()
        after = metrics(hub)
        assert after["nd_hub_registrations_refused_total"] - before[
            "nd_hub_registrations_refused_total"] >= len(ws_ok)
        assert hub.wait_log(r"already %d connections from this address" % PER_ADDR_CAP)
        assert hub.wait_log(r"no first message within 3000 ms")
        # Refusals are logged a few a second, the rest summarised: a flood
        # of connections is not a flood of log lines.
        assert hub.wait_log(r"\d+ more refused connections not logged")
        logged = hub.log().count("connections from this address (limit)")
        assert logged <= 3 * 10, "%d refusal lines logged" % logged
        assert after["nd_hub_eaters"] == 1, after  # the newcomer
        await e2.close()
        print("healthy: %d dumplings, all received in order; idle=%d slow=%d capped: %d upgraded"
              " %d refused; RSS %d kB -> peak %d kB" % (sent, len(idle), len(slow), len(ws_ok),
                                                       ws_refused, base_rss, peak))
        assert peak - base_rss < RSS_BOUND_KB, "hub RSS grew by %d kB" % (peak - base_rss)


if __name__ == "__main__":
    run(main())
