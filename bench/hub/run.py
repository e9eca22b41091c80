#!/usr/bin/env python3
"""run.py: the hub benchmark (bench/hub/run.sh runs this; bench/run.sh calls it).

Runs nd-hub-bench (bench/hub/bench_hub.c) on the standard cases, each several
times, and reports the median dumplings/s, deliveries/s and hub CPU per
delivery, and the largest hub peak RSS.  ~300-byte dumplings throughout.
Figures are printed and written to JSON, never asserted.

  bench/hub/run.sh [--build DIR] [--json FILE] [--quick] [--runs R]
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

# (name, kitchens, eaters, per kitchen, extra arguments)
CASES = [
    ("1->1", 1, 1, 300000, []),
    ("1->10", 1, 10, 200000, []),
    ("4->10", 4, 10, 50000, []),
    ("1->100", 1, 100, 20000, []),
    ("1->1 +stalled", 1, 1, 1000000, ["--stalled"]),
    ("1->10 +stalled, too-slow 3 s", 1, 10, 300000,
     ["--stalled", "--hub-arg=--too-slow", "--hub-arg=3"]),
]


def kv(text):
    out = {}
    for k, v in re.findall(r"([A-Za-z_/]+)=([^\s]+)", text):
        try:
            out[k] = float(v) if "." in v else int(v.split("/")[0])
        except ValueError:
            out[k] = v
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default=os.environ.get("ND_BUILD", os.path.join(ROOT, "build")))
    ap.add_argument("--json", default=os.path.join(ROOT, "bench-hub.json"))
    ap.add_argument("--quick", action="store_true", help="one run per case, fewer dumplings")
    ap.add_argument("--runs", type=int, help="runs per case [3; quick 1]")
    a = ap.parse_args()
    runs = a.runs or (1 if a.quick else 3)
    bench = os.path.join(a.build, "bench", "hub", "nd-hub-bench")
    hub = os.path.join(a.build, "hub", "nd-hub")
    if not (os.access(bench, os.X_OK) and os.access(hub, os.X_OK)):
        result = {"status": "absent", "notes": [f"{bench} or {hub} is not built"]}
        print("hub: skipped: nd-hub-bench or nd-hub is not built")
    else:
        rows = []
        print(f"{'case':<30} {'dumplings/s':>12} {'deliveries/s':>13} {'hub us/deliv':>13} "
              f"{'peak RSS kB':>12} {'complete':>9}")
        for name, k, e, n, extra in CASES:
            n = n // 4 if a.quick else n
            cmd = [bench, "--hub", hub, "-k", str(k), "-e", str(e), "-n", str(n)] + extra
            samples = []
            for _ in range(runs):
                try:
                    p = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
                    text, rc = p.stdout + p.stderr, p.returncode
                except subprocess.TimeoutExpired:
                    text, rc = "", "timeout"
                samples.append({"exit": rc, "metrics": kv(text), "output": text.splitlines()})
            ok = [s["metrics"] for s in samples if s["exit"] == 0 and "deliveries/s" in s["metrics"]]
            row = {"case": name, "cmd": " ".join(cmd), "runs": samples}
            if ok:
                row["median"] = {key: statistics.median(m[key] for m in ok) for key in
                                 ("dumplings/s", "deliveries/s", "hub_cpu_per_delivery")}
                row["median"]["hub_peak_rss_max"] = max(m["hub_peak_rss"] for m in ok)
                md = row["median"]
                print(f"{name:<30} {md['dumplings/s']:>12,.0f} {md['deliveries/s']:>13,.0f} "
                      f"{md['hub_cpu_per_delivery']:>13.3f} {md['hub_peak_rss_max']:>12} "
                      f"{len(ok):>5}/{runs}")
            else:
                print(f"{name:<30} failed: {samples[-1]['output'][-3:]}")
            rows.append(row)
            sys.stdout.flush()
        result = {"status": "ok", "source": "bench/hub/run.py", "load_average": os.getloadavg(),
                  "results": rows}
    os.makedirs(os.path.dirname(os.path.abspath(a.json)), exist_ok=True)
    with open(a.json, "w") as fp:
        json.dump(result, fp, indent=2)
        fp.write("\n")


if __name__ == "__main__":
    main()
