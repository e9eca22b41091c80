"""ndtest.py: what the eaters' process-level tests share.

A real nd-hub on ephemeral loopback ports (found in its "listening:" log
line), stopped on every exit path; a kitchen client written from
netdumplings' wire protocol (Debian's python3-websockets) that sends given
dumpling texts; /status polling; programs run with timeouts.
"""
import asyncio
import json
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


class Hub:
    """A running nd-hub; use as a context manager."""

    def __init__(self, binary, *args, in_port=0, out_port=0, web_root=None, status_freq=1):
        self.args = [binary, "-a", "127.0.0.1", "-i", str(in_port), "-o", str(out_port),
                     "-f", str(status_freq)]
        self.args += ["--web-root", web_root] if web_root else ["--no-web"]
        self.args += list(args)
        self.lines = []
        self.cond = threading.Condition()
        self.proc = None

    def start(self):
        self.lines = []
        self.proc = subprocess.Popen(self.args, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, text=True)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        m = self.wait_log(LISTEN_RE, 20)
        if not m:
            self.kill()
            raise RuntimeError("nd-hub did not start:\n" + "".join(self.lines))
        self.in_port, self.out_port = int(m.group(2)), int(m.group(4))
        return self

    def __enter__(self):
        return self.start()

    def __exit__(self, et, ev, tb):
        rc = self.stop()
        if et is None and rc != 0:
            raise AssertionError("nd-hub exited with %s\n%s" % (rc, "".join(self.lines)))
        return False

    def _read(self):
        for line in self.proc.stderr:
            sys.stderr.write("  hub| " + line)
            with self.cond:
                self.lines.append(line)
                self.cond.notify_all()

    def wait_log(self, rx, timeout):
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
                if left <= 0 or (self.proc.poll() is not None and i == len(self.lines)):
                    return None
                self.cond.wait(min(left, 0.2))

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()
        if self.proc:
            self.reader.join(5)
            return self.proc.returncode
        return 0

    def kill(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    @property
    def eaters(self):
        return "127.0.0.1:%d" % self.out_port

    def status(self):
        url = "http://127.0.0.1:%d/status" % self.out_port
        with urllib.request.urlopen(url, timeout=10) as r:
            return json.loads(r.read())

    def wait_eater(self, name, timeout=20):
        """Waits until an eater called name is registered."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            for e in self.status().get("dumpling_eaters", []):
                if e.get("info_from_eater", {}).get("eater_name") == name:
                    return
            time.sleep(0.05)
        raise AssertionError("eater %s never registered" % name)


def kitchen_hello(name, chefs=("dnslookupchef.DNSLookupChef",)):
    return json.dumps({"kitchen_name": name, "interface": "lo", "filter": "tcp or udp or arp",
                       "chefs": list(chefs), "poke_interval": 5})


def dumpling_text(chef, kitchen, payload, driver="packet", when=None, seq=None):
    md = {"chef": chef, "kitchen": kitchen,
          "creation_time": time.time() if when is None else when, "driver": driver}
    if seq is not None:
        md["seq"] = seq
    return json.dumps({"metadata": md, "payload": payload})


def send_as_kitchen(port, name, texts, linger=0.0, chefs=("dnslookupchef.DNSLookupChef",)):
    """Connects to the hub's kitchen port, sends the hello and the texts."""
    async def run():
        async with websockets.connect("ws://127.0.0.1:%d/" % port, compression=None) as ws:
            await ws.send(kitchen_hello(name, chefs))
            for t in texts:
                await ws.send(t)
            await asyncio.sleep(linger)
    asyncio.run(asyncio.wait_for(run(), 30))


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Program:
    """A program run in the background; output collected at the end."""

    def __init__(self, *args):
        # Bytes, decoded here: text mode would turn the \r of refreshed lines into \n.
        self.proc = subprocess.Popen(list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def finish(self, timeout=30):
        try:
            out, err = self.proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            out, err = self.proc.communicate()
            out, err = out.decode(errors="replace"), err.decode(errors="replace")
            raise AssertionError("%s timed out\nstdout:\n%s\nstderr:\n%s"
                                 % (self.proc.args[0], out, err))
        out, err = out.decode(), err.decode()
        sys.stderr.write(err)
        return self.proc.returncode, out, err

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.communicate()


def run(*args, timeout=30):
    return Program(*args).finish(timeout)
