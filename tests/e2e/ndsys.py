"""ndsys.py: pieces shared by the whole-system tests.

Starts the project's real programs (nd-hub, nd-sniff, nd-print, the C
seq_eater) and a Python eater written only from netdumplings' protocol,
creates network namespaces with veth pairs for live traffic, and cleans
every process and namespace up on every exit path.
"""
import asyncio
import atexit
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

import websockets

DEADLINE = time.monotonic() + float(os.environ.get("ND_E2E_TIMEOUT", "240"))
TMP = tempfile.mkdtemp(prefix="nd-e2e-")
_procs = []
_cleanups = []


def fail(msg):
    print("FAIL: " + msg, flush=True)
    print("logs are in " + TMP, flush=True)
    sys.exit(1)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(pred, timeout=30, what="condition"):
    end = min(time.monotonic() + timeout, DEADLINE)
    while time.monotonic() < end:
        v = pred()
        if v:
            return v
        time.sleep(0.1)
    fail("timed out waiting for " + what)


class Proc:
    """A child process with stdout/stderr in files under TMP."""

    def __init__(self, name, args, stdout=None, netns=None):
        self.name = name
        self.err_path = os.path.join(TMP, name + ".err")
        self.out_path = stdout or os.path.join(TMP, name + ".out")
        if netns:
            args = ["ip", "netns", "exec", netns] + list(args)
        self.args = args
        self.out = open(self.out_path, "wb")
        self.err = open(self.err_path, "wb")
        self.p = subprocess.Popen(args, stdout=self.out, stderr=self.err,
                                  stdin=subprocess.DEVNULL)
        _procs.append(self)

    def alive(self):
        return self.p.poll() is None

    def send(self, sig):
        if self.alive():
            self.p.send_signal(sig)

    def stop(self, sig=signal.SIGTERM, timeout=20):
        self.send(sig)
        try:
            rc = self.p.wait(timeout)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()
            fail("%s did not exit within %ss of signal %d" % (self.name, timeout, sig))
        return rc

    def wait(self, timeout=60):
        try:
            return self.p.wait(min(timeout, max(1, DEADLINE - time.monotonic())))
        except subprocess.TimeoutExpired:
            fail("%s did not finish in time" % self.name)

    def errlog(self):
        with open(self.err_path, "r", errors="replace") as f:
            return f.read()

    def lines(self):
        with open(self.out_path, "rb") as f:
            return f.read().splitlines()


def _cleanup():
    for p in _procs:
        if p.p.poll() is None:
            p.p.kill()
            try:
                p.p.wait(5)
            except subprocess.TimeoutExpired:
                pass
    for fn in reversed(_cleanups):
        try:
            fn()
        except Exception:
            pass


atexit.register(_cleanup)
signal.signal(signal.SIGTERM, lambda *a: sys.exit(1))


def sanitizer_clean(proc):
    log = proc.errlog()
    for marker in ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:"):
        if marker in log:
            fail("%s: sanitizer report:\n%s" % (proc.name, log[-4000:]))


def have_netns():
    return os.geteuid() == 0 and subprocess.run(["ip", "netns", "list"],
                                                capture_output=True).returncode == 0


class VethNs:
    """A namespace with one end of a veth pair; the other end stays in the
    root namespace, where a kitchen captures on it."""

    def __init__(self, tag, subnet):
        s = "%05d" % ((os.getpid() + random.randrange(100000)) % 100000)
        self.ns = "nde%s%s" % (s, tag)
        self.root_if = "e%s%s0" % (s, tag)
        self.ns_if = "e%s%s1" % (s, tag)
        self.root_ip = "%s.1" % subnet
        self.ns_ip = "%s.2" % subnet
        sh = lambda *a: subprocess.run(a, check=True, capture_output=True)
        sh("ip", "netns", "add", self.ns)
        _cleanups.append(lambda: subprocess.run(["ip", "netns", "del", self.ns]))
        sh("ip", "link", "add", self.root_if, "type", "veth", "peer", "name", self.ns_if,
           "netns", self.ns)
        _cleanups.append(lambda: subprocess.run(["ip", "link", "del", self.root_if],
                                                capture_output=True))
        sh("ip", "addr", "add", self.root_ip + "/24", "dev", self.root_if)
        sh("ip", "link", "set", self.root_if, "up")
        sh("ip", "netns", "exec", self.ns, "ip", "addr", "add", self.ns_ip + "/24",
           "dev", self.ns_if)
        sh("ip", "netns", "exec", self.ns, "ip", "link", "set", self.ns_if, "up")
        sh("ip", "netns", "exec", self.ns, "ip", "link", "set", "lo", "up")

    def run(self, *args):
        return subprocess.run(["ip", "netns", "exec", self.ns] + list(args),
                              capture_output=True, timeout=30)

    def dns_queries(self, names):
        """Sends one DNS query per name from inside the namespace to the
        root side (nobody answers; the kitchen sees the queries)."""
        code = (
            "import socket,struct,sys\n"
            "s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\n"
            "for i,n in enumerate(sys.argv[2:]):\n"
            "  q=struct.pack('>HHHHHH',i+1,0x100,1,0,0,0)\n"
            "  q+=b''.join(bytes([len(l)])+l.encode() for l in n.split('.'))+b'\\0'\n"
            "  q+=struct.pack('>HH',1,1)\n"
            "  s.sendto(q,(sys.argv[1],53))\n")
        r = self.run(sys.executable, "-c", code, self.root_ip, *names)
        if r.returncode != 0:
            fail("DNS queries in %s failed: %s" % (self.ns, r.stderr.decode()))


class PyEater(threading.Thread):
    """An eater written only from netdumplings' protocol: it sends
    {"eater_name": ...} and writes every message it receives, one per line.
    It reconnects when the hub goes away."""

    def __init__(self, uri, name="py-eater"):
        super().__init__(daemon=True)
        self.uri, self.name = uri, name
        self.path = os.path.join(TMP, name + ".jsonl")
        self.messages = []
        self.connects = 0
        self.lock = threading.Lock()
        self.stopping = False
        self.start()

    def run(self):
        asyncio.run(self._main())

    async def _main(self):
        while not self.stopping:
            try:
                async with websockets.connect(self.uri, max_size=None) as ws:
                    await ws.send(json.dumps({"eater_name": self.name}))
                    self.connects += 1
                    async for msg in ws:
                        with self.lock:
                            self.messages.append(msg)
            except (OSError, websockets.exceptions.WebSocketException):
                pass
            await asyncio.sleep(0.2)

    def snapshot(self):
        with self.lock:
            return list(self.messages)


def http_json(port, path="/status"):
    with urllib.request.urlopen("http://127.0.0.1:%d%s" % (port, path), timeout=5) as r:
        return json.loads(r.read())


def start_hub(bins, in_port, out_port, name="hub", extra=()):
    hub = Proc(name, [bins["hub"], "-a", "127.0.0.1", "-i", str(in_port), "-o",
                      str(out_port), "--no-web", "-f", "1"] + list(extra))

    def up():
        if not hub.alive():
            fail("nd-hub exited:\n" + hub.errlog())
        try:
            socket.create_connection(("127.0.0.1", out_port), 0.5).close()
            socket.create_connection(("127.0.0.1", in_port), 0.5).close()
            return True
        except OSError:
            return False

    wait_for(up, 15, "nd-hub to listen")
    return hub


def dumplings_of(lines):
    """Parses JSON lines; returns (kitchen, seq) -> raw bytes, for non-status dumplings."""
    out = {}
    for raw in lines:
        if isinstance(raw, str):
            raw = raw.encode()
        d = json.loads(raw)
        md = d["metadata"]
        if md["chef"] == "SystemStatusChef":
            continue
        out[(md["kitchen"], md.get("seq"))] = raw
    return out
