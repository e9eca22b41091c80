"""natstest.py: shared pieces of the NATS scale-out tests.

A local NATS cluster of nats-server processes on loopback (free ports,
a store directory per node in a private temp dir, JetStream on request),
nd-hubs attached to its nodes (tests/hub/hubtest.py's Hub), numbered
kitchens and counting eaters written from netdumplings' wire protocol.
Every process started here is killed on every exit path.
"""
import asyncio
import atexit
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "hub"))

import hubtest  # noqa: E402
import websockets  # noqa: E402

SKIP = 77


class Skip(Exception):
    """The test cannot run here (reason in the message): exit 77."""
_procs = []


def _kill_all():
    for p in _procs:
        if p.poll() is None:
            p.kill()
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                pass


atexit.register(_kill_all)
for _sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
    signal.signal(_sig, lambda s, f: sys.exit(128 + s))


def nats_server_or_skip():
    for path in ("/usr/sbin/nats-server", "/usr/bin/nats-server", shutil.which("nats-server")):
        if path and os.access(path, os.X_OK):
            return path
    raise Skip("nats-server is not installed (scripts/setup.sh installs it)")


def free_ports(n):
    """n TCP ports on 127.0.0.1 that were free just now (held together
    while choosing, so they differ)."""
    socks = []
    try:
        for _ in range(n):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def port_open(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


class NatsCluster:
    """n nats-server nodes routed to each other on loopback."""

    def __init__(self, n=3, jetstream=False):
        self.bin = nats_server_or_skip()
        self.n = n
        self.js = jetstream
        self.dir = tempfile.mkdtemp(prefix="nd-nats-test-")
        if os.environ.get("ND_NATS_KEEP"):
            print("nats test dir: %s (kept)" % self.dir)
        else:
            atexit.register(shutil.rmtree, self.dir, True)
        self.name = "ndtest-%d-%d" % (os.getpid(), int(time.time() * 1000) % 100000)
        ports = free_ports(3 * n)
        self.ports, self.cports, self.mports = ports[:n], ports[n:2 * n], ports[2 * n:]
        self.procs = [None] * n
        self.extra = []  # more nats-server arguments (TLS, ...)

    def node_name(self, i):
        return "%s-n%d" % (self.name, i)

    def stream_leader(self, stream):
        """The index of the node leading a JetStream stream, or None."""
        for i in range(self.n):
            if not self.procs[i]:
                continue
            try:
                with urllib.request.urlopen("http://127.0.0.1:%d/jsz?accounts=true&streams=true"
                                            % self.mports[i], timeout=5) as r:
                    d = json.load(r)
            except OSError:
                continue
            for a in d.get("account_details") or []:
                for st in a.get("stream_detail") or []:
                    leader = (st.get("cluster") or {}).get("leader")
                    if st.get("name") == stream and leader:
                        for j in range(self.n):
                            if self.node_name(j) == leader:
                                return j
        return None

    def url(self, i):
        return "nats://127.0.0.1:%d" % self.ports[i]

    def start(self, i):
        routes = ",".join("nats://127.0.0.1:%d" % self.cports[j] for j in range(self.n) if j != i)
        args = [self.bin, "-a", "127.0.0.1", "-p", str(self.ports[i]), "-n", self.node_name(i),
                "-m", str(self.mports[i]), "-l", os.path.join(self.dir, "node%d.log" % i)] + self.extra
        if self.n > 1:
            args += ["--cluster_name", self.name, "--cluster",
                     "nats://127.0.0.1:%d" % self.cports[i], "--routes", routes]
        if os.environ.get("ND_NATS_DEBUG"):
            args.append("-DV")
        if self.js:
            args += ["-js", "-sd", os.path.join(self.dir, "store%d" % i)]
        p = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _procs.append(p)
        self.procs[i] = p
        end = time.monotonic() + 20
        while not port_open(self.ports[i]):
            if p.poll() is not None or time.monotonic() > end:
                raise RuntimeError("nats-server %d did not start:\n%s" % (i, self.log(i)))
            time.sleep(0.05)

    def stop(self, i, sig=signal.SIGTERM):
        p = self.procs[i]
        if p and p.poll() is None:
            p.send_signal(sig)
            try:
                p.wait(15)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        self.procs[i] = None

    def log(self, i):
        try:
            with open(os.path.join(self.dir, "node%d.log" % i)) as f:
                return f.read()[-4000:]
        except OSError:
            return ""

    def routed(self):
        """True when every node logs routes to all the others."""
        for i in range(self.n):
            if self.log(i).count("Route connection created") < self.n - 1:
                return False
        return True

    def __enter__(self):
        for i in range(self.n):
            self.start(i)
        end = time.monotonic() + 30
        while not self.routed() and time.monotonic() < end:
            time.sleep(0.1)
        return self

    def __exit__(self, *exc):
        for i in range(self.n):
            self.stop(i)
        return False


def start_hub(cluster, node, *args, ports=None):
    # Eaters are not closed for slowness here: a loaded test machine's
    # Python clients may lag for seconds.
    extra = ["--nats", cluster.url(node), "-f", "1", "--too-slow", "300"] + list(args)
    if ports:
        extra += ["-i", str(ports[0]), "-o", str(ports[1])]
    h = hubtest.Hub(*extra)
    try:
        h.__enter__()
    except RuntimeError:
        if "built without NATS support" in h.log():
            raise Skip("this nd-hub was built without libnats")
        raise
    _procs.append(h.proc)
    if not h.wait_log(r"nats: INFO: connected to", 20):
        h.kill()
        if "built without NATS support" in h.log():
            raise Skip("this nd-hub was built without libnats")
        raise RuntimeError("hub did not connect to NATS:\n" + h.log())
    return h


def stop_hub(hub):
    """SIGTERM; fails when the hub does not exit cleanly (sanitizers)."""
    rc = hub.stop()
    if rc != 0:
        raise AssertionError("nd-hub exited with %s\n%s" % (rc, hub.log()[-3000:]))


def nats_status(hub):
    return hub.status().get("nats", {})


def cluster_size(hub):
    return hub.status().get("cluster", {}).get("hub_count", 0)


def remote_missing(hub, kitchen):
    for rk in nats_status(hub).get("remote_kitchens", []):
        if rk["kitchen"] == kitchen:
            return rk.get("seq", {}).get("missing", 0)
    return 0


class Eater:
    """Counts the dumplings one eater receives: (kitchen, seq) in order."""

    def __init__(self, hub, name, **hello):
        self.hub, self.name, self.hello = hub, name, hello
        self.got = []   # (kitchen, seq), arrival order
        self.other = 0  # dumplings without seq (status, ...)
        self.task = None
        self.ws = None
        self.closed = False

    async def start(self):
        self.ws = await hubtest.connect(self.hub.out_uri, ping_interval=None)
        hello = {"eater_name": self.name}
        hello.update(self.hello)
        await self.ws.send(json.dumps(hello))
        self.task = asyncio.ensure_future(self._run())
        return self

    async def _run(self):
        try:
            async for text in self.ws:
                d = json.loads(text)
                md = d.get("metadata", {})
                if md.get("chef") == "SystemStatusChef" or "seq" not in md:
                    self.other += 1
                    continue
                self.got.append((md.get("kitchen"), md["seq"]))
        except websockets.ConnectionClosed:
            pass
        self.closed = True

    def seqs(self, kitchen):
        return [s for k, s in self.got if k == kitchen]

    async def stop(self):
        if self.ws:
            await self.ws.close()
        if self.task:
            await asyncio.wait([self.task], timeout=5)


class Kitchen:
    """A kitchen that numbers its dumplings (metadata seq, kitchen_start),
    reconnecting to the same hub port when the connection drops.  A
    dumpling whose send failed is not sent again (the next gets seq + 1),
    so what is lost shows as a gap, as with nd-sniff's bounded queue."""

    def __init__(self, uri, name, chef="TestChef"):
        self.uri, self.name, self.chef = uri, name, chef
        self.start_id = "%s-%d" % (name, os.getpid())
        self.seq = 0
        self.ws = None
        self.send_failures = 0

    async def connect(self, timeout=30):
        end = time.monotonic() + timeout
        while True:
            try:
                self.ws = await hubtest.connect(self.uri)
                await self.ws.send(hubtest.kitchen_hello(self.name))
                return
            except (OSError, websockets.WebSocketException, asyncio.TimeoutError):
                if time.monotonic() > end:
                    raise
                await asyncio.sleep(0.1)

    async def send(self, n=1, chef=None):
        for _ in range(n):
            self.seq += 1
            d = hubtest.dumpling(chef or self.chef, self.name, seq=self.seq, start=self.start_id, pad=150)
            try:
                await self.ws.send(d)
            except (websockets.ConnectionClosed, OSError):
                self.send_failures += 1
                await self.connect()

    async def send_at(self, n, rate):
        """n dumplings at about rate per second, in small bursts."""
        burst = max(1, rate // 20)
        t0 = time.monotonic()
        sent = 0
        while sent < n:
            k = min(burst, n - sent)
            await self.send(k)
            sent += k
            ahead = t0 + sent / rate - time.monotonic()
            if ahead > 0:
                await asyncio.sleep(ahead)

    async def close(self):
        if self.ws:
            await self.ws.close()


async def until(pred, timeout, what, step=0.1):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return
        await asyncio.sleep(step)
    if not pred():
        raise AssertionError("timed out waiting for " + what)


async def settle(eaters, quiet=2.0, timeout=60):
    """Waits until no eater has received anything for `quiet` seconds."""
    end = time.monotonic() + timeout
    last = None
    since = time.monotonic()
    while time.monotonic() < end:
        now = tuple(len(e.got) for e in eaters)
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet:
            return
        await asyncio.sleep(0.1)


async def status_async(hub):
    return await asyncio.get_running_loop().run_in_executor(None, hub.status)


async def warm_up(a, b, eaters):
    """Interest crosses NATS routes asynchronously: sends from a warm-up
    kitchen on each hub until every eater has seen both.  Returns the two
    warm-up kitchens (for the caller to close)."""
    wa = Kitchen(a.in_uri, "warmA")
    wb = Kitchen(b.in_uri, "warmB")
    await wa.connect()
    await wb.connect()
    for _ in range(200):
        await wa.send()
        await wb.send()
        await asyncio.sleep(0.05)
        if all(e.seqs("warmA") and e.seqs("warmB") for e in eaters):
            break
    assert all(e.seqs("warmA") and e.seqs("warmB") for e in eaters), "no cross-hub delivery"
    return wa, wb


def run(coro):
    try:
        asyncio.run(asyncio.wait_for(coro, 240))
    except Skip as e:
        _kill_all()
        print("SKIP: %s" % e)
        sys.exit(SKIP)
    finally:
        _kill_all()
