"""offline.py: the kitchen's offline benchmark, a part of bench/run.py.

On one capture from nd-gencap (in the page cache), times, interleaved run by
run: nd-pcapcount (the ceiling), tcpdump -r FILE -w /dev/null, and nd-sniff
-r FILE --stdout -f "" with the NullChef, each standard chef alone, the three
parity chefs and every default chef; reports medians of packets/s, wall and
CPU ns/packet, the ratio to the ceiling and the dumplings made.
"""
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import time

PARITY = ["PacketCountChef", "DNSLookupChef", "ARPChef"]


def timed(cmd, timeout, stdout_null=False):
    """Runs cmd; returns (rc, wall s, cpu s, stdout, stderr)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    try:
        p = subprocess.run(cmd, stdout=subprocess.DEVNULL if stdout_null else subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=timeout, text=True,
                           errors="replace")
        rc, out, err = p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired:
        rc, out, err = -1, "", "timed out"
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return rc, wall, cpu, out, err


class Case:
    def __init__(self, name, cmd, counted, stdout_null=False):
        self.name, self.cmd, self.counted = name, cmd, counted
        self.stdout_null = stdout_null
        self.walls, self.cpus, self.seen, self.dumplings = [], [], None, None
        self.error = None

    def run(self, timeout):
        # nd-sniff --stdout: dumplings go to /dev/null
        rc, wall, cpu, out, err = timed(self.cmd, timeout, self.stdout_null)
        if rc != 0:
            self.error = f"exit {rc}: " + (err.strip().splitlines() or [""])[-1][:300]
            return
        self.walls.append(wall)
        self.cpus.append(cpu)
        seen = self.counted(out, err)
        self.seen, self.dumplings = seen if isinstance(seen, tuple) else (seen, None)


def sniff_count(out, err):
    m = re.findall(r"finished: packets=(\d+) .*?dumplings=(\d+)", err)
    return (int(m[-1][0]), int(m[-1][1])) if m else None


def pcapcount_count(out, err):
    m = re.match(r"(\d+) packets", out)
    return int(m.group(1)) if m else None


def list_chefs(sniff, chefdir):
    """[(module path, chef name, explicit-only)] from `nd-sniff -m DIR -l`."""
    p = subprocess.run([sniff, "-m", chefdir, "-l"], capture_output=True, text=True, timeout=30)
    chefs, module = [], None
    for line in p.stdout.splitlines():
        m = re.match(r"^(\S+\.so) \(", line)
        if m:
            module = m.group(1)
            continue
        m = re.match(r"^  ([A-Za-z0-9_]+)(\s|$)", line)
        if m and module and "error" not in line:
            chefs.append((module, m.group(1), "loaded only when named" in line))
    return chefs


def kitchen_cases(a, cap, notes):
    b = a.build
    cases = []
    pcapcount = os.path.join(b, "bench", "kitchen", "nd-pcapcount")
    if os.access(pcapcount, os.X_OK):
        cases.append(Case("ceiling: nd-pcapcount", [pcapcount, cap], pcapcount_count))
    else:
        notes.append(f"nd-pcapcount not built ({pcapcount}): no ceiling, no ratios")
    tcpdump = shutil.which("tcpdump")
    if tcpdump:
        cases.append(Case("tcpdump -r FILE -w /dev/null", [tcpdump, "-r", cap, "-w", "/dev/null"],
                          lambda o, e: None))
    else:
        notes.append("tcpdump not installed")
    sniff = os.path.join(b, "kitchen", "nd-sniff")
    if not os.access(sniff, os.X_OK):
        notes.append(f"nd-sniff not built ({sniff}): no kitchen figures")
        return cases
    base = [sniff, "-r", cap, "--stdout", "-f", "", "--no-progress", "-p", "0",
            "--log-level", "info"]
    nulldir = os.path.join(b, "bench", "kitchen", "chefs")
    if os.path.exists(os.path.join(nulldir, "nullchef.so")):
        cases.append(Case("nd-sniff, NullChef (kitchen alone)", base + ["-m", nulldir],
                          sniff_count, True))
    else:
        notes.append("nullchef.so not built: no kitchen-alone figure")
    chefdir = os.path.join(b, "chefs")
    chefs = list_chefs(sniff, chefdir) if os.path.isdir(chefdir) else []
    if not chefs:
        notes.append(f"no standard chefs in {chefdir}: no per-chef figures")
        return cases
    for module, name, _ in chefs:
        cases.append(Case(f"nd-sniff, {name}", base + ["-m", module, "-c", name],
                          sniff_count, True))
    names = [n for _, n, _ in chefs]
    if all(p in names for p in PARITY):
        sel = []
        for p in PARITY:
            sel += ["-c", p]
        cases.append(Case("nd-sniff, 3 parity chefs", base + ["-m", chefdir] + sel,
                          sniff_count, True))
    else:
        notes.append("the three parity chefs are not all built: "
                     + ", ".join(p for p in PARITY if p not in names) + " missing")
    default = sum(1 for c in chefs if not c[2])
    cases.append(Case(f"nd-sniff, every default chef ({default})", base + ["-m", chefdir],
                      sniff_count, True))
    return cases


def summarize(cases, n):
    rows, ceiling = [], None
    for c in cases:
        r = {"case": c.name, "cmd": " ".join(x if x else '""' for x in c.cmd),
             "runs": len(c.walls), "wall_s": c.walls, "cpu_s": c.cpus}
        if c.error:
            r["error"] = c.error
        if c.walls:
            med = statistics.median(c.walls)
            r.update({"median_s": med, "packets_per_s": n / med,
                      "ns_per_packet": med * 1e9 / n,
                      "cpu_ns_per_packet": statistics.median(c.cpus) * 1e9 / n})
            if c.seen is not None:
                r["packets_seen"] = c.seen
            if c.dumplings is not None:
                r["dumplings"] = c.dumplings
            if c.name.startswith("ceiling"):
                ceiling = r["packets_per_s"]
        rows.append(r)
    ceiling_cpu = next((r["cpu_ns_per_packet"] for r in rows
                        if r["case"].startswith("ceiling") and "cpu_ns_per_packet" in r), None)
    for r in rows:
        if ceiling and "packets_per_s" in r:
            r["ratio_to_ceiling"] = r["packets_per_s"] / ceiling
        if ceiling_cpu and r.get("cpu_ns_per_packet"):
            r["cpu_ratio_to_ceiling"] = ceiling_cpu / r["cpu_ns_per_packet"]
    return rows


def print_table(title, rows, n):
    print(f"\n{title}")
    print(f"{'case':40} {'packets/s':>12} {'ns/pkt':>8} {'cpu ns/pkt':>10} {'vs ceiling':>10} "
          f"{'(cpu)':>6} {'dumplings':>10}")
    for r in rows:
        if "packets_per_s" not in r:
            print(f"{r['case']:40} {'-':>12} {'-':>8} {'-':>10} {'-':>10}  {r.get('error', '')}")
            continue
        ratio = f"{r['ratio_to_ceiling']:.2f}" if "ratio_to_ceiling" in r else "-"
        warn = ""
        if r.get("packets_seen") not in (None, n):
            warn = f"  (saw {r['packets_seen']} of {n} packets)"
        dumplings = f"{r['dumplings']:,}" if "dumplings" in r else "-"
        cpu_ratio = f"{r['cpu_ratio_to_ceiling']:.2f}" if "cpu_ratio_to_ceiling" in r else "-"
        print(f"{r['case']:40} {r['packets_per_s']:12,.0f} {r['ns_per_packet']:8.1f} "
              f"{r['cpu_ns_per_packet']:10.1f} {ratio:>10} {cpu_ratio:>6} {dumplings:>10}{warn}")


def kitchen_offline(a, work, result):
    notes = []
    gencap = os.path.join(a.build, "tools", "gencap", "nd-gencap")
    cap = a.capture
    if not cap:
        if not os.access(gencap, os.X_OK):
            result["kitchen_offline"] = {"status": "absent", "notes": [f"{gencap} not built"]}
            print(f"kitchen offline: skipped: {gencap} not built")
            return
        cap = os.path.join(work, "bench.pcap")
        cmd = [gencap, "-o", cap, "-n", str(a.packets), "-s", str(a.seed), "-p", a.profile,
               "-t", cap + ".json", "--no-truth-lists"]
        rc, wall, _, _, err = timed(cmd, 600)
        if rc != 0:
            raise SystemExit(f"bench: nd-gencap failed: {err.strip()}")
        with open(cap + ".json") as fp:
            truth = json.load(fp)
        n = truth["packets"]
        gen = {"cmd": " ".join(cmd), "seconds": wall, "packets_per_s": n / wall,
               "bytes": truth["bytes"], "profile": a.profile, "seed": a.seed}
    else:
        gen = {"capture": cap}
        n = None
    with open(cap, "rb") as fp:  # into the page cache
        while fp.read(1 << 22):
            pass
    cases = kitchen_cases(a, cap, notes)
    if n is None:
        c0 = cases[0] if cases and cases[0].name.startswith("ceiling") else None
        if not c0:
            raise SystemExit("bench: --capture needs nd-pcapcount to count packets")
        c0.run(600)
        n = c0.seen
        c0.walls, c0.cpus = [], []
    timeout = max(120, n / 20000)
    for _ in range(a.runs):  # interleaved: each run visits every case
        for c in cases:
            if not c.error:
                c.run(timeout)
    spawn = [timed(["true"], 10)[1] for _ in range(5)]
    notes.append(f"starting a process costs about {statistics.median(spawn) * 1e3:.1f} ms "
                 f"of each run's wall time (not subtracted)")
    rows = summarize(cases, n)
    size = os.path.getsize(cap)
    origin = os.path.basename(cap) if a.capture else f"{a.profile}, seed {a.seed}"
    title = (f"kitchen, offline: {n:,} packets, {size / 1e6:.0f} MB "
             f"({origin}), median of {a.runs} runs, file in page cache")
    print_table(title, rows, n)
    parity = next((r for r in rows if r["case"].endswith("parity chefs")), None)
    target = {"what": "3 parity chefs >= 0.5 x ceiling packets/s"}
    if parity and "ratio_to_ceiling" in parity:
        target["ratio"] = parity["ratio_to_ceiling"]
        target["cpu_ratio"] = parity.get("cpu_ratio_to_ceiling")
        target["met"] = parity["ratio_to_ceiling"] >= 0.5
        print(f"target: {target['what']}: {'met' if target['met'] else 'NOT met'} "
              f"({parity['ratio_to_ceiling']:.2f}; by CPU time {target['cpu_ratio']:.2f})")
    else:
        target["met"] = None
        print(f"target: {target['what']}: not measurable here")
    for note in notes:
        print(f"note: {note}")
    if a.perf:
        profile = perf_case(a.perf, cases, work)
        if profile:
            result["perf"] = profile
    result["kitchen_offline"] = {"status": "ok", "packets": n, "bytes": size,
                                 "generation": gen, "runs": a.runs, "results": rows,
                                 "target": target, "notes": notes}


def perf_case(needle, cases, work):
    """perf record + report of one case; returns the report's head lines."""
    case = next((c for c in cases if needle.lower() in c.name.lower()), None)
    if not case or not shutil.which("perf"):
        print(f"perf: no case matching {needle!r}" if shutil.which("perf") else "perf: not installed")
        return None
    data = os.path.join(work, "perf.data")
    rec = subprocess.run(["perf", "record", "-q", "--call-graph", "dwarf,16384", "-o", data, "--"]
                         + case.cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                         text=True, timeout=600)
    if rec.returncode != 0:
        print(f"perf: record failed: {rec.stderr.strip()[-300:]}")
        return None
    out = {"case": case.name}
    for mode in ("self", "children"):
        rep = subprocess.run(["perf", "report", "-i", data, "--stdio", "--no-demangle",
                              "--percent-limit", "1.5", "-g", "none",
                              "--children" if mode == "children" else "--no-children"],
                             capture_output=True, text=True, timeout=600)
        lines = [ln for ln in rep.stdout.splitlines() if re.match(r"^\s+\d", ln)]
        out[mode] = lines[:30]
        print(f"\nperf, {case.name}, by {mode} time:")
        print("\n".join(lines[:30]))
    os.unlink(data)
    return out
