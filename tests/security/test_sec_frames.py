"""Hostile frames from kitchens and eaters hurt only the sender.

A raw WebSocket client (frames built by hand) sends, each on its own
connection: an over-size message (1009), a message fragmented into
thousands of frames (reassembled, or refused when too big), binary frames,
invalid UTF-8, invalid JSON, JSON nested 100000 deep, huge numbers, a ping
flood, and garbage that is not WebSocket at all.  Through all of it a
healthy kitchen streams numbered dumplings to a healthy eater, which must
get every one in order and nothing else; the hub logs each refusal and
counts it, and its memory stays bounded.
"""
import asyncio
import base64
import json
import os
import socket
import struct
import time

import websockets

from sectest import Hub, dumpling, kitchen_hello, metrics, run

MAX_DUMPLING = 16384
MAX_MESSAGE = 65536


class RawWS:
    """A WebSocket client on a plain socket that sends any frame."""

    def __init__(self, port, hello=None):
        self.s = socket.create_connection(("127.0.0.1", port), timeout=10)
        key = base64.b64encode(os.urandom(16)).decode()
        self.s.sendall(("GET / HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\n"
                        "Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\n"
                        "Sec-WebSocket-Version: 13\r\n\r\n" % (port, key)).encode())
        resp = b""
        while b"\r\n\r\n" not in resp:
            c = self.s.recv(1)
            if not c:
                raise RuntimeError("closed during the handshake")
            resp += c
        assert b" 101 " in resp.split(b"\r\n")[0], resp
        self.rest = b""
        if hello:
            self.frame(1, hello.encode())

    def frame(self, opcode, payload, fin=True):
        mask = os.urandom(4)
        n = len(payload)
        hdr = bytes([(0x80 if fin else 0) | opcode])
        if n < 126:
            hdr += bytes([0x80 | n])
        elif n < 65536:
            hdr += bytes([0x80 | 126]) + struct.pack(">H", n)
        else:
            hdr += bytes([0x80 | 127]) + struct.pack(">Q", n)
        body = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.send(hdr + mask + body)

    def fragments(self, opcode, payload, piece):
        parts = [payload[i:i + piece] for i in range(0, len(payload), piece)] or [b""]
        out = []
        for i, p in enumerate(parts):
            mask = os.urandom(4)
            op = opcode if i == 0 else 0
            fin = 0x80 if i == len(parts) - 1 else 0
            out.append(bytes([fin | op, 0x80 | len(p)]) + mask +
                       bytes(b ^ mask[j % 4] for j, b in enumerate(p)))
        self.send(b"".join(out))

    def send(self, data):
        try:
            self.s.sendall(data)
        except OSError:
            pass  # the hub may already have closed us: that is the point

    def close_code(self, timeout=10):
        """Reads until the hub closes; returns its close code (None: no close frame)."""
        self.s.settimeout(timeout)
        buf = b""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                d = self.s.recv(65536)
            except socket.timeout:
                break
            except OSError:
                d = b""
            if not d:
                break
            buf += d
            while len(buf) >= 2:
                op, n = buf[0] & 0x0f, buf[1] & 0x7f
                off = 2
                if n == 126:
                    n, off = struct.unpack(">H", buf[2:4])[0], 4
                elif n == 127:
                    n, off = struct.unpack(">Q", buf[2:10])[0], 10
                if len(buf) < off + n:
                    break
                if op == 8:
                    return struct.unpack(">H", buf[off:off + 2])[0] if n >= 2 else 1005
                buf = buf[off + n:]
        return None

    def still_open(self):
        self.s.setblocking(False)
        try:
            return self.s.recv(1, socket.MSG_PEEK) != b""
        except BlockingIOError:
            return True
        except OSError:
            return False
        finally:
            self.s.setblocking(True)

    def close(self):
        self.s.close()


async def main():
    with Hub("--max-dumpling-bytes", str(MAX_DUMPLING), "--max-message-bytes",
             str(MAX_MESSAGE), "-f", "3600") as hub:
        loop = asyncio.get_running_loop()
        pid = hub.proc.pid
        k = await websockets.connect(hub.in_uri, open_timeout=10, close_timeout=2)
        await k.send(kitchen_hello("healthy"))
        e = await websockets.connect(hub.out_uri, open_timeout=10, close_timeout=2, max_size=None)
        await e.send(json.dumps({"eater_name": "healthy"}))
        await asyncio.sleep(0.3)
        got, sent = [], 0

        async def consume():
            while True:
                got.append(json.loads(await e.recv()))
        consumer = asyncio.create_task(consume())

        async def healthy_burst(n=50):
            nonlocal sent
            for _ in range(n):
                sent += 1
                await k.send(dumpling("HealthyChef", "healthy", seq=sent, n=sent))

        def raw(hello="kitchen", name="hostile"):
            h = kitchen_hello(name) if hello == "kitchen" else json.dumps({"eater_name": name})
            return RawWS(hub.in_port if hello == "kitchen" else hub.out_port, h)

        def rss():
            with open("/proc/%d/status" % pid) as f:
                return next(int(l.split()[1]) for l in f if l.startswith("VmRSS:"))

        base_rss = rss()
        m0 = metrics(hub)
        results = {}

        async def case(name, fn):
            await healthy_burst()
            results[name] = await loop.run_in_executor(None, fn)
            await healthy_burst()

        # Over-size in one frame: 1009.
        def oversize():
            r = raw()
            r.frame(1, b"x" * (MAX_MESSAGE + 1))
            return r.close_code()
        await case("oversize", oversize)

        # A dumpling in 4000 fragments of 3 bytes: reassembled, delivered.
        big = dumpling("FragChef", "hostile", pad=11000).encode()

        def fragmented():
            r = raw()
            r.fragments(1, big, 3)
            r.frame(1, b"[]")  # then something invalid, to see it is still up
            time.sleep(0.5)
            ok = r.still_open()
            r.close()
            return ok
        await case("fragmented", fragmented)

        # Thousands of tiny fragments adding up to more than the hard ceiling.
        def fragmented_oversize():
            r = raw()
            r.fragments(1, b"y" * (MAX_MESSAGE + 4000), 100)
            return r.close_code()
        await case("fragmented_oversize", fragmented_oversize)

        # Binary, invalid UTF-8, invalid JSON, deep nesting, huge numbers: the
        # kitchen stays, the dumplings are refused (counted), nothing is sent on.
        def hostile_messages():
            r = raw()
            r.frame(2, dumpling("BinaryChef", "hostile").encode())
            bad_utf8 = dumpling("Utf8Chef", "hostile", text="@@").encode().replace(b"@@", b"\xff\xfe\xc0\x80")
            r.frame(1, bad_utf8)
            r.frame(1, b'{"metadata": {"chef": "JsonChef"}, "payload": [1, 2,')
            r.frame(1, b"[" * 15000 + b"]" * 15000)
            r.frame(1, b'{"metadata": {"chef": "DeepChef"}, "payload": ' + b"[" * 5000 +
                    b"]" * 5000 + b"}")
            r.frame(1, b'{"metadata": {"chef": "NumChef", "seq": 1e999999, "creation_time": '
                    b'-1e400}, "payload": 123456789012345678901234567890123456789}')
            r.frame(1, b'{"metadata": {"chef": "NumChef2", "seq": 99999999999999999999999},'
                    b' "payload": {"n": -0.0e-99999}}')
            time.sleep(0.5)
            ok = r.still_open()
            r.close()
            return ok
        await case("hostile_messages", hostile_messages)

        # A ping flood: lws keeps one pending pong and drops the rest.
        def ping_flood():
            r = raw()
            t = time.monotonic()
            for i in range(20000):
                r.frame(9, b"p" * 100)
            ok = r.still_open()
            r.close()
            return ok, time.monotonic() - t
        await case("ping_flood", ping_flood)

        # Not WebSocket at all after the upgrade, and a control frame over
        # 125 bytes: protocol errors close only that connection.
        def garbage():
            r = raw()
            r.send(os.urandom(4096))
            c1 = r.close_code(5)
            r2 = raw()
            r2.frame(9, b"z" * 300)
            c2 = r2.close_code(5)
            return c1, c2
        await case("garbage", garbage)

        # The same abuse on the eater port before a hello: closed, counted.
        def eater_hostile():
            r = RawWS(hub.out_port)
            r.frame(2, b"\xff" * 100)
            c1 = r.close_code()
            r = RawWS(hub.out_port)
            r.fragments(1, b"[" * 70000, 7)
            c2 = r.close_code()
            return c1, c2
        await case("eater_hostile", eater_hostile)

        # An eater hello with thousands of filter names: refused (each name
        # would be matched against every dumpling).
        def eater_filters():
            r = RawWS(hub.out_port, json.dumps({"eater_name": "greedy",
                                                "chefs": ["C%d" % i for i in range(3000)]}))
            return r.close_code()
        await case("eater_filters", eater_filters)

        ok = False
        end = time.monotonic() + 20
        while time.monotonic() < end:
            if sum(1 for d in got if d["metadata"]["chef"] == "HealthyChef") >= sent:
                ok = True
                break
            await asyncio.sleep(0.05)
        consumer.cancel()
        healthy = [d["payload"]["n"] for d in got if d["metadata"]["chef"] == "HealthyChef"]
        others = sorted({d["metadata"]["chef"] for d in got} - {"HealthyChef"})
        m1 = metrics(hub)
        print("results:", results)
        print("healthy %d/%d, other chefs delivered: %s; RSS %d -> %d kB" % (
            len(healthy), sent, others, base_rss, rss()))
        print("counters:", {k: m1[k] - m0.get(k, 0) for k in m1 if k.endswith("_total")})
        assert ok and healthy == list(range(1, sent + 1)), "healthy stream damaged"
        assert results["oversize"] == 1009, results
        assert results["fragmented"] is True, results
        assert results["fragmented_oversize"] == 1009, results
        assert results["hostile_messages"] is True, results
        assert results["ping_flood"][0] is True, results
        assert results["garbage"][0] != 1000 and results["garbage"][1] != 1000, results
        assert results["eater_hostile"][0] is not None and results["eater_hostile"][1] == 1009, results
        assert results["eater_filters"] == 4104, results
        assert hub.wait_log(r"eater refused: peer=127\.0\.0\.1:\d+: more than 256 names in \"chefs\"")
        assert others == ["FragChef"], "delivered what should have been refused: %s" % others
        inv = m1["nd_hub_dumplings_invalid_total"] - m0["nd_hub_dumplings_invalid_total"]
        assert inv >= 7, inv
        assert m1["nd_hub_registrations_refused_total"] > m0["nd_hub_registrations_refused_total"]
        assert rss() - base_rss < 64 * 1024, "hub RSS grew by %d kB" % (rss() - base_rss)
        assert hub.wait_log(r"invalid dumpling dropped: kitchen=hostile")
        assert hub.wait_log(r"kitchen closed: name=hostile peer=127\.0\.0\.1:\d+: message larger")
        assert hub.proc.poll() is None
        await k.close()
        await e.close()


if __name__ == "__main__":
    run(main())
