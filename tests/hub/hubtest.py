"""hubtest.py: shared pieces of the nd-hub process-level tests.

Starts nd-hub on ephemeral loopback ports (it logs the ports it bound),
collects its log, and stops it with SIGTERM on every exit path, failing the
test if it does not exit cleanly (so sanitizer reports fail tests).
Clients are written only from netdumplings' wire protocol, with Debian's
python3-websockets.
"""
import asyncio
import base64
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request

import websockets

LISTEN_RE = re.compile(r"listening: kitchens on ws://(\S+):(\d+), eaters on ws://(\S+):(\d+)")
TEST_TIMEOUT = 90


def hub_binary():
    if len(sys.argv) < 2:
        sys.exit("usage: %s ND-HUB [ARGS]" % sys.argv[0])
    return sys.argv[1]


class Hub:
    """A running nd-hub; use as a context manager."""

    def __init__(self, *args, address="127.0.0.1"):
        self.args = [hub_binary(), "-a", address, "-i", "0", "-o", "0", "--no-web"] + list(args)
        if "--web-root" in args:
            self.args.remove("--no-web")
        self.lines = []
        self.cond = threading.Condition()
        self.proc = None
        self.host = None

    def __enter__(self):
        self.proc = subprocess.Popen(self.args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                     text=True)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        m = self.wait_log(LISTEN_RE, 15)
        if not m:
            self.kill()
            raise RuntimeError("nd-hub did not start:\n" + self.log())
        self.host = m.group(1).strip("[]")
        self.in_port, self.out_port = int(m.group(2)), int(m.group(4))
        return self

    def __exit__(self, et, ev, tb):
        rc = self.stop()
        if et is None and rc != 0:
            raise AssertionError("nd-hub exited with %s\n%s" % (rc, self.log()))
        return False

    def _read(self):
        for line in self.proc.stderr:
            sys.stderr.write("  hub| " + line)
            with self.cond:
                self.lines.append(line)
                self.cond.notify_all()

    def log(self):
        with self.cond:
            return "".join(self.lines)

    def wait_log(self, pattern, timeout=10):
        """Waits for a log line matching pattern; returns the match or None."""
        rx = re.compile(pattern) if isinstance(pattern, str) else pattern
        end = time.monotonic() + timeout
        i = 0
        with self.cond:
            while True:
                for line in self.lines[i:]:
                    m = rx.search(line)
                    if m:
                        return m
                i = len(self.lines)
                left = end - time.monotonic()
                if left <= 0 or self.proc.poll() is not None and i == len(self.lines):
                    return None
                self.cond.wait(min(left, 0.2))

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()
        self.reader.join(5)
        return self.proc.returncode

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def netloc(self, port):
        return "[%s]:%d" % (self.host, port) if ":" in self.host else "%s:%d" % (self.host, port)

    @property
    def in_uri(self):
        return "ws://" + self.netloc(self.in_port)

    @property
    def out_uri(self):
        return "ws://" + self.netloc(self.out_port)

    def http(self, path):
        with urllib.request.urlopen("http://%s%s" % (self.netloc(self.out_port), path),
                                    timeout=10) as r:
            return r.status, r.headers.get("Content-Type"), r.read()

    def status(self):
        return json.loads(self.http("/status")[2])


def kitchen_hello(name):
    """A kitchen's first message, shaped as netdumplings' nd-sniff sends it."""
    return json.dumps({"kitchen_name": name, "interface": "all", "filter": "tcp or udp or arp",
                       "chefs": ["dnslookupchef.DNSLookupChef"], "poke_interval": 5})


def dumpling(chef, kitchen, seq=None, start=None, driver="packet", pad=180, **payload):
    """A dumpling of roughly 300 bytes, shaped like netdumplings' to_json()."""
    md = {"chef": chef, "kitchen": kitchen, "creation_time": time.time(), "driver": driver}
    if seq is not None:
        md["seq"] = seq
    if start is not None:
        md["kitchen_start"] = start
    payload.setdefault("pad", "x" * pad)
    return json.dumps({"metadata": md, "payload": payload})


async def connect(uri, **kw):
    kw.setdefault("max_size", None)
    kw.setdefault("open_timeout", 10)
    return await websockets.connect(uri, **kw)


async def eater(hub, name="test-eater", **hello_extra):
    ws = await connect(hub.out_uri)
    hello = {"eater_name": name}
    hello.update(hello_extra)
    await ws.send(json.dumps(hello))
    return ws


async def kitchen(hub, name="test-kitchen"):
    ws = await connect(hub.in_uri)
    await ws.send(kitchen_hello(name))
    return ws


async def wait_until(pred, timeout=10, step=0.05):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return True
        await asyncio.sleep(step)
    return pred()


async def wait_status(hub, pred, timeout=10):
    """Polls /status until pred(status) holds; returns the last status."""
    end = time.monotonic() + timeout
    st = None
    while time.monotonic() < end:
        st = await asyncio.get_running_loop().run_in_executor(None, hub.status)
        if pred(st):
            return st
        await asyncio.sleep(0.05)
    raise AssertionError("status condition not reached; last status: %s" % json.dumps(st))


class RawEater:
    """An eater on a plain socket with a tiny receive buffer that registers
    and then never reads: the stalled eater."""

    def __init__(self, host, port, name="stalled", rcvbuf=4096):
        fam = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.s = socket.socket(fam, socket.SOCK_STREAM)
        self.s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        self.s.settimeout(10)
        self.s.connect((host, port))
        key = base64.b64encode(os.urandom(16)).decode()
        req = ("GET / HTTP/1.1\r\nHost: %s:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n" % (host, port, key))
        self.s.sendall(req.encode())
        resp = b""
        while b"\r\n\r\n" not in resp:
            chunk = self.s.recv(1)  # byte by byte: leave any frame unread
            if not chunk:
                raise RuntimeError("hub closed during the handshake")
            resp += chunk
        if b" 101 " not in resp.split(b"\r\n")[0]:
            raise RuntimeError("handshake refused: %r" % resp)
        self.send_text(json.dumps({"eater_name": name}))

    def send_text(self, text):
        data = text.encode()
        mask = os.urandom(4)
        hdr = bytes([0x81])
        if len(data) < 126:
            hdr += bytes([0x80 | len(data)])
        else:
            hdr += bytes([0x80 | 126]) + len(data).to_bytes(2, "big")
        self.s.sendall(hdr + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

    def close(self):
        self.s.close()


def run(coro):
    """Runs a test coroutine with an overall timeout; exits 1 on failure."""
    try:
        asyncio.run(asyncio.wait_for(coro, TEST_TIMEOUT))
    except Exception:
        import traceback
        traceback.print_exc()
        sys.exit(1)
    print("PASS")
