#!/usr/bin/env python3
"""live.py: kitchen, live capture, under load.

Creates two network namespaces joined by a veth pair (names carry this
process's id), replays a generated capture into one end with tcpreplay (at
top speed and/or fixed packet rates) and captures on the other end with, in
turn: nd-pcapcount -i (the ceiling: libpcap capture that only counts),
tcpdump -w /dev/null, nd-sniff with the NullChef, and nd-sniff with the three
parity chefs.  All use libpcap's default buffer size and snaplen 262144.
Reports, per capturer and rate, the median over runs of packets sent,
captured, and dropped by the kernel (pcap_stats ps_drop), and the capture
ratio.  Target (issue 9): no more kernel drops than tcpdump at the same rate.
Everything it creates is removed on every exit path.
"""
import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def parse_args():
    ap = argparse.ArgumentParser(prog="bench/kitchen/live.sh")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--build", required=True)
    ap.add_argument("--json", required=True)
    ap.add_argument("--packets", type=int)
    ap.add_argument("--runs", type=int)
    ap.add_argument("--rates", help="comma-separated: top or packets/s [top; full: top,100000]")
    a = ap.parse_args()
    a.packets = a.packets or (100000 if a.quick else 500000)
    a.runs = a.runs or (2 if a.quick else 3)
    a.rates = (a.rates or ("top" if a.quick else "top,100000")).split(",")
    return a


def sh(*cmd, check=True, timeout=30, **kw):
    return subprocess.run(list(cmd), check=check, timeout=timeout, capture_output=True,
                          text=True, **kw)


class Net:
    """Two namespaces and a veth pair; tx end in one, rx end in the other."""

    def __init__(self):
        tag = f"{os.getpid() % 100000}"
        self.tx_ns, self.rx_ns = f"ndb-tx-{tag}", f"ndb-rx-{tag}"
        self.tx, self.rx = f"ndbt{tag}", f"ndbr{tag}"
        self.made = []

    def __enter__(self):
        for ns in (self.tx_ns, self.rx_ns):
            sh("ip", "netns", "add", ns)
            self.made.append(ns)
        sh("ip", "link", "add", self.tx, "netns", self.tx_ns, "mtu", "9000", "type", "veth",
           "peer", "name", self.rx, "netns", self.rx_ns, "mtu", "9000")
        for ns, dev in ((self.tx_ns, self.tx), (self.rx_ns, self.rx)):
            sh("ip", "netns", "exec", ns, "sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1")
            sh("ip", "netns", "exec", ns, "ip", "link", "set", dev, "up")
        return self

    def __exit__(self, *exc):
        for ns in self.made:  # deleting a namespace deletes its veth end
            sh("ip", "netns", "del", ns, check=False)


def parse_capturer(kind, out, err):
    """(captured, kernel drops) from a capturer's exit output."""
    if kind == "pcapcount":
        m = re.search(r"(\d+) packets \d+ bytes recv=(\d+) drop=(\d+)", out)
        return (int(m.group(1)), int(m.group(3))) if m else (None, None)
    if kind == "tcpdump":
        c = re.search(r"(\d+) packets? captured", err)
        d = re.search(r"(\d+) packets? dropped by kernel", err)
        return (int(c.group(1)) if c else None, int(d.group(1)) if d else None)
    m = re.findall(r"finished: packets=(\d+).*?pcap_dropped=(\d+)", err)
    if m:
        return int(m[-1][0]), int(m[-1][1])
    m = re.findall(r"finished: packets=(\d+)", err)
    return (int(m[-1]), None) if m else (None, None)


READY = {"pcapcount": "listening on", "tcpdump": "listening on", "sniff": "kitchen started"}


def one_run(net, kind, cmd, cap, rate):
    tmp = os.environ.get("TMPDIR", "/tmp")
    errf = open(os.path.join(tmp, f"ndb-live-{os.getpid()}.err"), "w+")
    # stdout to a file, never a pipe read at the end: a full pipe would
    # block nd-sniff's dumpling output and show up as drops.
    outf = open(os.path.join(tmp, f"ndb-live-{os.getpid()}.out"), "w+")
    p = subprocess.Popen(["ip", "netns", "exec", net.rx_ns] + cmd,
                         stdout=subprocess.DEVNULL if kind == "sniff" else outf,
                         stderr=errf, text=True)
    try:
        deadline = time.time() + 15
        while time.time() < deadline:
            errf.seek(0)
            if READY[kind] in errf.read():
                break
            if p.poll() is not None:
                break
            time.sleep(0.05)
        time.sleep(0.3)
        speed = ["--topspeed"] if rate == "top" else [f"--pps={rate}"]
        r = sh("ip", "netns", "exec", net.tx_ns, "tcpreplay", "-i", net.tx, *speed, cap,
               timeout=600, check=False)
        sent = re.search(r"Actual: (\d+) packets", r.stdout)
        rated = re.search(r"Rated: [\d.]+ Bps, [\d.]+ Mbps, ([\d.]+) pps", r.stdout)
        time.sleep(1.0)
        p.send_signal(signal.SIGINT)
        p.wait(timeout=30)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    errf.seek(0)
    err = errf.read()
    outf.seek(0)
    out = outf.read()
    for f in (errf, outf):
        f.close()
        os.unlink(f.name)
    captured, drops = parse_capturer(kind, out, err)
    return {"sent": int(sent.group(1)) if sent else None,
            "send_pps": float(rated.group(1)) if rated else None,
            "captured": captured, "kernel_drops": drops,
            "error": None if captured is not None else (err.strip().splitlines() or ["?"])[-1]}


def capturers(a, net, notes):
    b = a.build
    out = []
    pc = os.path.join(b, "bench", "kitchen", "nd-pcapcount")
    if os.access(pc, os.X_OK):
        out.append(("ceiling: nd-pcapcount -i", "pcapcount", [pc, "-i", net.rx]))
    if shutil.which("tcpdump"):
        out.append(("tcpdump -w /dev/null", "tcpdump",
                    ["tcpdump", "-i", net.rx, "-w", "/dev/null", "-s", "262144"]))
    sniff = os.path.join(b, "kitchen", "nd-sniff")
    if not os.access(sniff, os.X_OK):
        notes.append("nd-sniff not built")
        return out
    base = [sniff, "-i", net.rx, "--stdout", "-f", "", "--no-progress", "-p", "0",
            "--stats-interval", "0", "--log-level", "info"]
    nulldir = os.path.join(b, "bench", "kitchen", "chefs")
    if os.path.exists(os.path.join(nulldir, "nullchef.so")):
        out.append(("nd-sniff, NullChef", "sniff", base + ["-m", nulldir]))
    chefdir = os.path.join(b, "chefs")
    parity = ["PacketCountChef", "DNSLookupChef", "ARPChef"]
    if all(os.path.exists(os.path.join(chefdir, p.lower() + ".so")) for p in parity):
        sel = sum((["-c", p] for p in parity), [])
        out.append(("nd-sniff, 3 parity chefs", "sniff", base + ["-m", chefdir] + sel))
    else:
        notes.append("parity chefs not built")
    return out


def on_term(signum, frame):
    raise SystemExit(f"live: signal {signum}")  # unwinds through Net.__exit__


def main():
    signal.signal(signal.SIGTERM, on_term)
    a = parse_args()
    result = {"status": "ok", "notes": [], "rates": a.rates, "runs": a.runs}
    why = None
    if os.geteuid() != 0:
        why = "needs root (network namespaces, capture)"
    elif not shutil.which("tcpreplay") or not shutil.which("ip"):
        why = "needs tcpreplay and iproute2"
    gencap = os.path.join(a.build, "tools", "gencap", "nd-gencap")
    if not why and not os.access(gencap, os.X_OK):
        why = f"{gencap} not built"
    if why:
        print(f"kitchen, live: skipped: {why}")
        with open(a.json, "w") as fp:
            json.dump({"status": "skipped", "notes": [why]}, fp)
        return 0
    work = os.path.dirname(os.path.abspath(a.json))
    cap = os.path.join(work, "live.pcap")
    sh(gencap, "-o", cap, "-n", str(a.packets), "-s", "3", timeout=300)
    rows = []
    try:
        with Net() as net:
            caps = capturers(a, net, result["notes"])
            runs = {(name, rate): [] for name, _, _ in caps for rate in a.rates}
            for rate in a.rates:
                for _ in range(a.runs):  # interleaved
                    for name, kind, cmd in caps:
                        runs[(name, rate)].append(one_run(net, kind, cmd, cap, rate))
    finally:
        os.unlink(cap)
    print(f"\nkitchen, live: {a.packets:,} packets replayed by tcpreplay over a veth pair, "
          f"median of {a.runs} runs")
    print(f"{'capturer':30} {'rate':>8} {'sent pps':>10} {'sent':>9} {'captured':>9} "
          f"{'drops':>8} {'captured %':>10}")
    for (name, rate), rs in runs.items():
        ok = [r for r in rs if r["captured"] is not None]
        row = {"capturer": name, "rate": rate, "runs": rs}
        if ok:
            med = lambda k: statistics.median(r[k] for r in ok if r[k] is not None) \
                if any(r[k] is not None for r in ok) else None
            row.update({"sent": med("sent"), "send_pps": med("send_pps"),
                        "captured": med("captured"), "kernel_drops": med("kernel_drops")})
            pct = 100.0 * row["captured"] / row["sent"] if row["sent"] else None
            row["captured_pct"] = pct
            fmt = lambda v, f: (f.format(v) if v is not None else "-")
            print(f"{name:30} {rate:>8} {fmt(row['send_pps'], '{:10,.0f}'):>10} "
                  f"{fmt(row['sent'], '{:9,.0f}'):>9} {fmt(row['captured'], '{:9,.0f}'):>9} "
                  f"{fmt(row['kernel_drops'], '{:8,.0f}'):>8} {fmt(pct, '{:9.1f}%'):>10}")
        else:
            print(f"{name:30} {rate:>8}  failed: {rs[0]['error'] if rs else '?'}")
        rows.append(row)
    for rate in a.rates:
        td = next((r for r in rows if r["capturer"].startswith("tcpdump") and r["rate"] == rate), None)
        ks = next((r for r in rows if r["capturer"].endswith("parity chefs") and r["rate"] == rate), None)
        if td and ks and td.get("kernel_drops") is not None and ks.get("kernel_drops") is not None:
            met = ks["kernel_drops"] <= td["kernel_drops"]
            print(f"target at {rate}: parity kitchen drops {ks['kernel_drops']:,.0f} vs tcpdump "
                  f"{td['kernel_drops']:,.0f}: {'met' if met else 'NOT met'}")
            result.setdefault("targets", []).append({"rate": rate, "met": met})
    for n in result["notes"]:
        print(f"note: {n}")
    result["results"] = rows
    with open(a.json, "w") as fp:
        json.dump(result, fp, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
