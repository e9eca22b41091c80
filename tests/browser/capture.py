"""capture.py: the dashboard fed by a real kitchen replaying a capture.

nd-gencap writes a deterministic capture (every kind of traffic); nd-sniff
replays it at its recorded speed with the standard chefs into nd-hub; the
page (dashboard.test.js, mode "capture") waits until every panel has
filled and prints a SNAPSHOT of its tables.  A recording eater beside the
page keeps every dumpling the hub sent; each table on the page must equal
what panels.js derives from one of those dumplings (the same bytes the page
got), and every ARP row and live DNS name must come from a recorded packet
dumpling.
"""
import asyncio
import json
import os
import shutil
import subprocess
import tempfile
import threading

import websockets

from ndtest import Hub

KITCHEN = "capture-kitchen"
CHEFS = ["PacketCountChef", "DNSLookupChef", "ARPChef", "FlowChef", "TLSSNIChef",
         "HTTPHostChef", "KitchenStatsChef"]


class Recorder:
    """An eater that keeps every message the hub sends it."""

    def __init__(self, port):
        self.port = port
        self.messages = []
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=lambda: asyncio.run(self._run()), daemon=True)
        self.thread.start()

    async def _run(self):
        async with websockets.connect("ws://127.0.0.1:%d/" % self.port, compression=None,
                                      max_size=None) as ws:
            await ws.send(json.dumps({"eater_name": "recorder"}))
            while not self.stopping.is_set():
                try:
                    self.messages.append(json.loads(await asyncio.wait_for(ws.recv(), 0.2)))
                except asyncio.TimeoutError:
                    pass

    def stop(self):
        self.stopping.set()
        self.thread.join(10)


# What panels.js shows, in Python.
def num(v):
    return "{:,}".format(v) if isinstance(v, int) else "–"


def nbytes(v):
    units = ["B", "kB", "MB", "GB", "TB"]
    i = 0
    while v >= 1000 and i < len(units) - 1:
        v /= 1000
        i += 1
    return ("%.1f" % v if i else str(v)) + " " + units[i]


def endpoint(addr, port):
    a = "[%s]" % addr if ":" in str(addr) else str(addr)
    return a + (":%d" % port if port else "")


def derive(d):
    """{table id: rows} that one interval dumpling produces on the page."""
    chef, p = d["metadata"]["chef"], d["payload"]
    out = {}
    if chef == "DNSLookupChef" and "lookups_seen" in p:
        top = sorted(p["lookups_seen"].items(), key=lambda kv: (-kv[1]["count"], kv[0]))[:10]
        out["dns-top"] = [[h, num(v["count"])] for h, v in top]
    if chef == "TLSSNIChef" and "tls_sni_top" in p:
        out["sni-top"] = [[h["hostname"], num(h["count"])] for h in p["tls_sni_top"][:10]]
    if chef == "HTTPHostChef" and "http_host_top" in p:
        out["http-top"] = [[h["hostname"], num(h["count"])] for h in p["http_host_top"][:10]]
    if chef == "FlowChef":
        out["talkers"] = [[t["ip"], nbytes(t["bytes_sent"]), nbytes(t["bytes_received"]),
                           num(t["packets_sent"] + t["packets_received"])]
                          for t in p["talkers"][:10]]
        out["conversations"] = [[c.get("proto_name") or str(c["proto"]),
                                 endpoint(c["src"], c["sport"]), endpoint(c["dst"], c["dport"]),
                                 nbytes(c["interval_bytes"]), nbytes(c["bytes"])]
                                for c in p["conversations"][:10]]
    if chef == "PacketCountChef":
        rows = sorted(p["packet_counts"].items(), key=lambda kv: -kv[1])
        out["layers-table"] = [[k, num(v)] for k, v in rows]
    return out


def check_snapshot(snap, messages):
    failures = []
    derived = {}
    for d in messages:
        if d["metadata"].get("kitchen") == KITCHEN and d["metadata"]["driver"] == "interval":
            for table, rows in derive(d).items():
                derived.setdefault(table, []).append(rows)
    for table in ("dns-top", "sni-top", "http-top", "talkers", "conversations", "layers-table"):
        if snap[table] not in derived.get(table, []):
            failures.append("%s on the page %s matches no %s dumpling the hub sent"
                            % (table, snap[table], table))
        else:
            print("ok   %s matches a dumpling the hub sent (%d rows)" % (table, len(snap[table])))
    arp = {(d["payload"]["src_ip"], d["payload"]["src_hw"]) for d in messages
           if d["metadata"]["chef"] == "ARPChef"}
    for row in snap["arp-table"]:
        if (row[0], row[1]) not in arp:
            failures.append("ARP row %s was never sent" % row)
    print("ok   %d ARP rows all come from ARPChef dumplings" % len(snap["arp-table"]))
    names = {d["payload"]["lookup"]["hostname"] for d in messages
             if d["metadata"]["chef"] == "DNSLookupChef" and "lookup" in d["payload"]}
    for name in snap["dns-live"]:
        if name not in names:
            failures.append("live DNS name %s was never sent" % name)
    print("ok   %d live DNS names all come from DNSLookupChef dumplings" % len(snap["dns-live"]))
    return failures


def capture(hub_bin, web_root, outdir, sniff_bin, chef_dir, gencap_bin, run_node):
    tmp = tempfile.mkdtemp(prefix="nd-dash-capture.")
    pcap = os.path.join(tmp, "mixed.pcap")
    subprocess.run([gencap_bin, "-o", pcap, "-n", "4000", "-p", "mixed", "-r", "200"],
                   check=True, timeout=60)
    hub = Hub(hub_bin, web_root=web_root).start()
    recorder = Recorder(hub.out_port)
    hub.wait_eater("recorder")
    state = {"sniff": None, "snap": None}
    sniff_args = [sniff_bin, "-r", pcap, "--realtime", "-p", "1", "-m", chef_dir,
                  "-h", "127.0.0.1:%d" % hub.in_port, "-n", KITCHEN, "--no-progress"]
    for c in CHEFS:
        sniff_args += ["-c", c]

    def on_line(line):
        if line == "READY":
            state["sniff"] = subprocess.Popen(sniff_args)
        elif line.startswith("SNAPSHOT "):
            state["snap"] = json.loads(line[len("SNAPSHOT "):])
    try:
        rc = run_node("capture", "http://127.0.0.1:%d/" % hub.out_port, outdir, on_line)
        if rc != 0 or state["snap"] is None:
            return 1
        sniff = state["sniff"]
        sniff_rc = sniff.wait(120)
        recorder.stop()
        failures = check_snapshot(state["snap"], recorder.messages)
        if sniff_rc != 0:
            failures.append("nd-sniff exited with %s" % sniff_rc)
        for f in failures:
            print("FAIL " + f)
        return 1 if failures else 0
    finally:
        if state["sniff"] and state["sniff"].poll() is None:
            state["sniff"].kill()
            state["sniff"].wait()
        recorder.stop()
        hub.stop()
        shutil.rmtree(tmp, ignore_errors=True)
