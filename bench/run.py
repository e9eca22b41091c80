#!/usr/bin/env python3
"""run.py: netdumplings-c benchmark harness (bench/run.sh runs this).

Kitchen, offline: generates a capture with nd-gencap, then times on the same
file, in the same invocation, interleaved run by run:
  - the ceiling: nd-pcapcount, a libpcap reader that only counts packets;
  - tcpdump -r FILE -w /dev/null;
  - nd-sniff -r FILE --stdout -f "" (no hub, dumplings to /dev/null) with the
    NullChef (the kitchen alone), each standard chef alone, the three
    netdumplings-parity chefs together, and every standard chef.
and reports the median packets/s, wall and CPU ns/packet and the ratio to the
ceiling.  Then runs the hub benchmark (bench/hub/run.sh) and, with --live,
the live-capture benchmark (bench/kitchen/live.sh) when they exist (without
bench/hub/run.sh, nd-hub-bench with standard settings), and the dissectors'
and chefs' micro-benchmarks (nd-dissect-bench, nd-chefs-bench) when built.
The hub part measures nd-hub beside nd-bench-relay (the transport's ceiling):
throughput for 1, 10 and 100 eaters, latency at 10/50/90% of the maximum,
memory with a stalled eater.  Prints a table per part, then the targets met
and not met, and writes everything to a JSON file.  Figures are printed,
never asserted; a missing program is reported as such, not as a failure.
"""
import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(HERE, "kitchen"))
import offline  # noqa: E402  (bench/kitchen/offline.py)


def parse_args():
    ap = argparse.ArgumentParser(prog="bench/run.sh", description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true",
                    help="small capture, 3 runs: finishes in under a minute")
    ap.add_argument("--build", default=os.environ.get("ND_BUILD", os.path.join(ROOT, "build")),
                    help="build directory [$ND_BUILD or ./build]")
    ap.add_argument("--json", help="JSON results file [BUILD/bench/results.json]")
    ap.add_argument("--packets", type=int, help="capture size [1000000; quick 500000]")
    ap.add_argument("--runs", type=int, help="runs per case [5; quick 3]")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--profile", default="mixed", help="nd-gencap profile [mixed]")
    ap.add_argument("--capture", help="use this capture instead of generating one")
    ap.add_argument("--only", default="kitchen,hub,micro",
                    help="comma-separated parts: kitchen, hub, micro, live [kitchen,hub,micro]")
    ap.add_argument("--live", action="store_true", help="also run the live benchmark (root)")
    ap.add_argument("--keep", action="store_true", help="keep the work directory")
    ap.add_argument("--perf", metavar="CASE",
                    help="after timing, profile the first case whose name contains CASE "
                         "with perf (call graphs) and print where the time goes")
    a = ap.parse_args()
    a.packets = a.packets or (500000 if a.quick else 1000000)
    a.runs = a.runs or (3 if a.quick else 5)
    a.json = a.json or os.path.join(a.build, "bench", "results.json")
    a.parts = set(a.only.split(","))
    if a.live:
        a.parts.add("live")
    return a


def machine():
    model = ""
    try:
        with open("/proc/cpuinfo") as fp:
            for line in fp:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {"cpus": os.cpu_count(), "cpu": model, "kernel": platform.release(),
            "loadavg_start": list(os.getloadavg())}


def hook(a, name, script, result, extra):
    """Runs another part's benchmark script; its JSON goes under result[name]."""
    if not os.access(script, os.X_OK):
        result[name] = {"status": "absent", "notes": [f"{script} does not exist yet"]}
        print(f"\n{name}: skipped: {os.path.relpath(script, ROOT)} does not exist yet")
        return
    out = os.path.join(tempfile.mkdtemp(prefix="nd-bench-hook-"), "r.json")
    cmd = [script, "--build", a.build, "--json", out] + (["--quick"] if a.quick else []) + extra
    print(f"\n{name}: {' '.join(cmd)}", flush=True)
    try:
        rc = subprocess.run(cmd, timeout=1200 if not a.quick else 120).returncode
    except subprocess.TimeoutExpired:
        rc = "timeout"
    try:
        with open(out) as fp:
            result[name] = json.load(fp)
    except (OSError, ValueError) as e:
        result[name] = {"status": "failed", "notes": [f"exit {rc}, no JSON: {e}"]}
    shutil.rmtree(os.path.dirname(out), ignore_errors=True)


def kv(text):
    """key=value tokens of a program's report, numbers as numbers."""
    out = {}
    for k, v in re.findall(r"([A-Za-z_/]+)=([^\s]+)", text):
        try:
            out[k] = float(v) if "." in v else int(v)
        except ValueError:
            out[k] = v
    return out


def hub_fallback(a, result):
    """The hub's load generator with standard settings, when bench/hub/run.sh
    does not exist: one kitchen to 1, 10 and 100 eaters."""
    bench = os.path.join(a.build, "bench", "hub", "nd-hub-bench")
    hub = os.path.join(a.build, "hub", "nd-hub")
    if not (os.access(bench, os.X_OK) and os.access(hub, os.X_OK)):
        result["hub"] = {"status": "absent", "notes": ["neither bench/hub/run.sh nor "
                                                       "nd-hub-bench and nd-hub are built"]}
        print("\nhub: skipped: bench/hub/run.sh does not exist and nd-hub-bench is not built")
        return
    configs = [(1, 10, 50000)] if a.quick else [(1, 1, 200000), (1, 10, 200000), (1, 100, 20000)]
    rows = []
    for k, e, n in configs:
        cmd = [bench, "--hub", hub, "-k", str(k), "-e", str(e), "-n", str(n)]
        try:
            p = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
            text, rc = p.stdout + p.stderr, p.returncode
        except subprocess.TimeoutExpired:
            text, rc = "", "timeout"
        rows.append({"kitchens": k, "eaters": e, "per_kitchen": n, "cmd": " ".join(cmd),
                     "exit": rc, "metrics": kv(text), "output": text.splitlines()})
    print("\nhub (nd-hub-bench; bench/hub/run.sh does not exist yet): ~300-byte dumplings")
    print(f"{'kitchens':>8} {'eaters':>6} {'dumplings/s':>12} {'deliveries/s':>13} "
          f"{'hub cpu us/delivery':>20} {'hub peak RSS kB':>16}")
    for r in rows:
        m = r["metrics"]
        if r["exit"] != 0 or "deliveries" not in m:
            print(f"{r['kitchens']:>8} {r['eaters']:>6}  failed (exit {r['exit']})")
            continue
        print(f"{r['kitchens']:>8} {r['eaters']:>6} {m.get('dumplings/s', 0):>12,} "
              f"{m.get('deliveries/s', 0):>13,} {str(m.get('hub_cpu_per_delivery', '-')):>20} "
              f"{str(m.get('hub_peak_rss', '-')):>16}")
    result["hub"] = {"status": "ok", "source": "nd-hub-bench, standard settings", "results": rows}


def micro(a, result):
    """The dissectors' and chefs' own micro-benchmarks, when built."""
    progs = [("dissect", os.path.join(a.build, "bench", "dissect", "nd-dissect-bench"), []),
             ("chefs", os.path.join(a.build, "bench", "chefs", "nd-chefs-bench"),
              [os.path.join(a.build, "chefs")])]
    out = {}
    for name, path, args in progs:
        if not os.access(path, os.X_OK):
            out[name] = {"status": "absent", "notes": [f"{path} not built"]}
            continue
        cmd = [path] + args + (["5"] if a.quick else [])
        try:
            p = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
            text, rc = p.stdout + p.stderr, p.returncode
        except subprocess.TimeoutExpired:
            text, rc = "", "timeout"
        print(f"\nmicro, {name}: {' '.join(cmd)}")
        print(text.rstrip())
        out[name] = {"status": "ok" if rc == 0 else "failed", "cmd": " ".join(cmd),
                     "output": text.splitlines()}
    result["micro"] = out


def summary(result):
    """The issue's targets, one line each, from every part's JSON."""
    rows = []
    k = result.get("kitchen_offline", {})
    t = k.get("target") or {}
    if "met" in t:
        rows.append((t["what"], t["met"], f"{t['ratio']:.2f}" if t.get("ratio") is not None
                     else "-"))
    for v in (result.get("hub", {}).get("targets") or {}).values():
        val = v.get("value")
        rows.append((v["what"], v["met"], f"{val:,.3f}" if isinstance(val, (int, float)) else "-"))
    for t in result.get("kitchen_live", {}).get("targets") or []:
        rows.append((f"live at {t['rate']}: parity kitchen drops <= tcpdump's", t["met"], ""))
    if not rows:
        return
    print("\ntargets (issue 9):")
    for what, met, val in rows:
        verdict = "met" if met else ("not measured" if met is None else "NOT met")
        print(f"  {what:<58} {verdict:<12} {val}")
    result["targets"] = [{"what": w, "met": m, "value": v} for w, m, v in rows]


def main():
    a = parse_args()
    t0 = time.time()
    result = {"harness": "netdumplings-c bench/run.sh", "quick": a.quick,
              "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
              "machine": machine()}
    work = tempfile.mkdtemp(prefix="nd-bench-")
    try:
        if "kitchen" in a.parts:
            offline.kitchen_offline(a, work, result)
        if "hub" in a.parts:
            if os.access(os.path.join(HERE, "hub", "run.sh"), os.X_OK):
                hook(a, "hub", os.path.join(HERE, "hub", "run.sh"), result, [])
            else:
                hub_fallback(a, result)
        if "micro" in a.parts:
            micro(a, result)
        if "live" in a.parts:
            hook(a, "kitchen_live", os.path.join(HERE, "kitchen", "live.sh"), result, [])
    finally:
        if not a.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"work directory kept: {work}")
    summary(result)
    result["machine"]["loadavg_end"] = list(os.getloadavg())
    result["seconds"] = time.time() - t0
    os.makedirs(os.path.dirname(os.path.abspath(a.json)), exist_ok=True)
    with open(a.json, "w") as fp:
        json.dump(result, fp, indent=2)
        fp.write("\n")
    la = result["machine"]
    print(f"\nload average {la['loadavg_start'][0]:.2f} -> {la['loadavg_end'][0]:.2f} "
          f"on {la['cpus']} CPUs; {result['seconds']:.0f} s; results in {a.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
