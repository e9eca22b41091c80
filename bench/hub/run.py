#!/usr/bin/env python3
"""run.py: the hub benchmark (bench/hub/run.sh runs this; bench/run.sh calls it).

Every figure is measured twice in the same invocation, runs interleaved: on
nd-hub and on nd-bench-relay (bench/hub/relay.c: the same lws-on-libuv stack
relaying bytes with no validation, the transport's ceiling); the hub's
figures are also given as ratios of the relay's.  ~300-byte dumplings.

1. Throughput: 1 kitchen -> 1, 10, 100 eaters (quick: 10), as fast as the
   server accepts; median dumplings/s, deliveries/s, server CPU per delivery
   (utime+stime from /proc/<pid>/stat).  Eaters are raw WebSocket clients
   on libuv (bench/hub/raweater.c); "1->10 lws" repeats 1 -> 10 with
   libwebsockets clients, whose frame parser costs them ~1.5 us per
   message: with those, the clients and not the server set the pace.
2. Latency: 1 kitchen -> 10 eaters at fixed offered loads of 10%, 50% and 90%
   of the hub's median 1 -> 10 dumplings/s measured in step 1; each dumpling
   carries its CLOCK_MONOTONIC send time and eaters record receive time
   minus send time; median over runs of p50, p99, p99.9, and how long the
   server and the eater processes were runnable but waiting for a CPU
   (/proc/<pid>/schedstat): on a shared machine that wait sets the tail.
3. Memory: the hub with one stalled eater (registers, never reads) next to
   one healthy eater, kitchens at full rate for 60 s (quick: 5 s), the
   eater too slow only after 120 s and hung up on for not answering pings
   only after 180 s (--ping 60), so it stays all along; the hub's RSS is
   sampled every second: first/peak/last and the range after warm-up.
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
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

TARGET_DELIVERIES = 400000   # 1 -> 10, deliveries/s
TARGET_CPU_US = 1.0          # hub CPU per delivery, 1 -> 10
TARGET_P99_US = 1000.0       # p99 at half the maximum load


def kv(text):
    out = {}
    for k, v in re.findall(r"([A-Za-z][A-Za-z0-9_/]*)=([^\s]+)", text):
        try:
            out[k] = float(v) if "." in v else int(v)
        except ValueError:
            out[k] = v
    return out


def run_bench(bench, server, args, timeout):
    cmd = [bench, "--hub", server] + args
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        text, rc = p.stdout + p.stderr, p.returncode
    except subprocess.TimeoutExpired:
        text, rc = "", "timeout"
    return {"cmd": " ".join(cmd), "exit": rc, "metrics": kv(text), "output": text.splitlines()}


def med(samples, key):
    vals = [s["metrics"][key] for s in samples
            if s["exit"] == 0 and isinstance(s["metrics"].get(key), (int, float))]
    return statistics.median(vals) if vals else None


def ratio(a, b):
    return a / b if a is not None and b else None


def fmt(v, spec):
    return format(v, spec) if isinstance(v, (int, float)) else "-"


def throughput(a, servers, bench, runs):
    cases = [("1->10", 1, 10, 150000, [])] if a.quick else \
        [("1->1", 1, 1, 1000000, []), ("1->10", 1, 10, 500000, []), ("1->100", 1, 100, 50000, []),
         ("1->10 lws", 1, 10, 200000, ["--lws-eaters"])]
    samples = {(c[0], s): [] for c in cases for s in servers}
    for _ in range(runs):                      # interleaved: every case once per round
        for name, k, e, n, extra in cases:
            for s, path in servers.items():
                samples[(name, s)].append(run_bench(bench, path, ["-k", str(k), "-e", str(e),
                                                                  "-n", str(n)] + extra, 300))
    rows = []
    print("\nhub throughput: 1 kitchen, ~300-byte dumplings as fast as accepted, "
          f"median of {runs}")
    print(f"{'case':<10} {'server':<6} {'dumplings/s':>12} {'deliveries/s':>13} {'cpu us/deliv':>13} "
          f"{'eaters cpu ms':>13} {'peak RSS kB':>12} {'complete':>9} {'vs relay':>9} "
          f"{'cpu vs relay':>12}")
    for name, k, e, n, extra in cases:
        m = {}
        for s in servers:
            sm = samples[(name, s)]
            ok = sum(1 for x in sm if x["exit"] == 0)
            m[s] = {"dumplings_per_s": med(sm, "dumplings/s"),
                    "deliveries_per_s": med(sm, "deliveries/s"),
                    "cpu_us_per_delivery": med(sm, "hub_cpu_per_delivery"),
                    "eaters_cpu_ms": med(sm, "eaters_cpu_ms"),
                    "peak_rss_kb": max((x["metrics"].get("hub_peak_rss", 0) for x in sm), default=0),
                    "complete_runs": ok, "runs": sm}
        row = {"case": name, "kitchens": k, "eaters": e, "per_kitchen": n,
               "eater_client": "lws" if extra else "raw", **m}
        row["deliveries_ratio_to_relay"] = ratio(m["hub"]["deliveries_per_s"],
                                                 m.get("relay", {}).get("deliveries_per_s"))
        row["cpu_ratio_to_relay"] = ratio(m["hub"]["cpu_us_per_delivery"],
                                          m.get("relay", {}).get("cpu_us_per_delivery"))
        for s in servers:
            x = m[s]
            extra = (f" {fmt(row['deliveries_ratio_to_relay'], '9.2f')} "
                     f"{fmt(row['cpu_ratio_to_relay'], '12.2f')}") if s == "hub" else ""
            print(f"{name:<10} {s:<6} {fmt(x['dumplings_per_s'], '12,.0f')} "
                  f"{fmt(x['deliveries_per_s'], '13,.0f')} {fmt(x['cpu_us_per_delivery'], '13.3f')} "
                  f"{fmt(x['eaters_cpu_ms'], '13.0f')} {x['peak_rss_kb']:>12} {x['complete_runs']:>5}/{runs}{extra}")
        rows.append(row)
    sys.stdout.flush()
    return rows


def latency(a, servers, bench, runs, max_rate):
    dur = 1.5 if a.quick else 5
    loads = [0.1, 0.5, 0.9]
    samples = {(f, s): [] for f in loads for s in servers}
    for _ in range(runs):
        for f in loads:
            rate = max(1, int(max_rate * f))
            for s, path in servers.items():
                samples[(f, s)].append(run_bench(bench, path, ["-k", "1", "-e", "10", "--rate",
                                                               str(rate), "--duration", str(dur)],
                                                 120))
    rows = []
    print(f"\nhub latency: 1 kitchen -> 10 eaters at fixed offered loads (fractions of the hub's "
          f"1->10 maximum, {max_rate:,.0f} dumplings/s), {dur} s each (first 0.5 s not recorded), "
          f"median of {runs}; microseconds")
    print(f"{'load':>5} {'dumplings/s':>11} {'server':<6} {'p50':>8} {'p99':>8} {'p99.9':>8} "
          f"{'max':>9} {'cpu us/deliv':>13} {'runq ms':>8} {'eaters rq':>9} {'complete':>9} "
          f"{'p99 vs relay':>12}")
    for f in loads:
        rate = max(1, int(max_rate * f))
        row = {"load": f, "rate": rate, "duration_s": dur}
        for s in servers:
            sm = samples[(f, s)]
            row[s] = {"p50_us": med(sm, "lat_p50_us"), "p99_us": med(sm, "lat_p99_us"),
                      "p999_us": med(sm, "lat_p999_us"), "max_us": med(sm, "lat_max_us"),
                      "achieved_per_s": med(sm, "dumplings/s"),
                      "cpu_us_per_delivery": med(sm, "hub_cpu_per_delivery"),
                      "server_runq_wait_ms": med(sm, "hub_runq_wait_ms"),
                      "eaters_runq_wait_ms": med(sm, "eaters_runq_wait_ms"),
                      "complete_runs": sum(1 for x in sm if x["exit"] == 0), "runs": sm}
        for q in ("p50_us", "p99_us", "p999_us"):
            row[f"{q}_ratio_to_relay"] = ratio(row["hub"][q], row.get("relay", {}).get(q))
        for s in servers:
            x = row[s]
            extra = f" {fmt(row['p99_us_ratio_to_relay'], '12.2f')}" if s == "hub" else ""
            print(f"{int(f * 100):>4}% {rate:>11,} {s:<6} {fmt(x['p50_us'], '8.0f')} "
                  f"{fmt(x['p99_us'], '8.0f')} {fmt(x['p999_us'], '8.0f')} {fmt(x['max_us'], '9.0f')} "
                  f"{fmt(x['cpu_us_per_delivery'], '13.3f')} {fmt(x['server_runq_wait_ms'], '8.0f')} "
                  f"{fmt(x['eaters_runq_wait_ms'], '9.0f')} {x['complete_runs']:>5}/{runs}{extra}")
        rows.append(row)
    sys.stdout.flush()
    return rows


def memory(a, hub, bench):
    dur = 5 if a.quick else 60
    settle = 3 if a.quick else 5
    r = run_bench(bench, hub, ["-k", "1", "-e", "1", "--stalled", "--duration", str(dur),
                               "--hub-arg=--too-slow", "--hub-arg=120",
                               "--hub-arg=--ping", "--hub-arg=60"], dur + 120)
    m = r["metrics"]
    series = [int(x) for x in str(m.get("rss_series_kb", "")).split(",") if x.isdigit()]
    after = series[settle - 1:] if len(series) >= settle else series
    row = {"duration_s": dur, "stalled_eaters": 1, "healthy_eaters": 1, "run": r,
           "rss_series_kb": series, "rss_first_kb": series[0] if series else None,
           "rss_peak_kb": max(series) if series else None,
           "rss_last_kb": series[-1] if series else None,
           "settle_s": settle,
           "range_after_settle_kb": (max(after) - min(after)) if after else None,
           "dumplings_per_s": m.get("dumplings/s"), "hub_peak_rss_kb": m.get("hub_peak_rss")}
    # flat: after warm-up the RSS moves by less than 1 MB or 5%
    row["flat"] = (row["range_after_settle_kb"] is not None and
                   row["range_after_settle_kb"] <= max(1024, 0.05 * row["rss_peak_kb"]))
    print(f"\nhub memory: 1 kitchen at full rate -> 1 eater + 1 stalled eater "
          f"(--too-slow 120 --ping 60), "
          f"{dur} s, RSS sampled every second")
    print(f"first {fmt(row['rss_first_kb'], ',')} kB, peak {fmt(row['rss_peak_kb'], ',')} kB, "
          f"last {fmt(row['rss_last_kb'], ',')} kB; range after {settle} s "
          f"{fmt(row['range_after_settle_kb'], ',')} kB ({'flat' if row['flat'] else 'NOT flat'}); "
          f"healthy eater {fmt(row['dumplings_per_s'], ',.0f')} dumplings/s, exit {r['exit']}")
    print(f"series kB: {','.join(str(x) for x in series)}")
    sys.stdout.flush()
    return row


def targets(thr, lat, mem):
    t = {}
    r10 = next((r for r in thr if r["case"] == "1->10"), None)
    if r10:
        d, c = r10["hub"]["deliveries_per_s"], r10["hub"]["cpu_us_per_delivery"]
        t["deliveries_1to10"] = {"what": f"1->10 >= {TARGET_DELIVERIES:,} deliveries/s",
                                 "value": d, "met": d is not None and d >= TARGET_DELIVERIES,
                                 "relay": r10.get("relay", {}).get("deliveries_per_s")}
        t["cpu_1to10"] = {"what": f"1->10 hub CPU <= ~{TARGET_CPU_US} us per delivery",
                          "value": c, "met": c is not None and c <= TARGET_CPU_US}
    half = next((r for r in lat if r["load"] == 0.5), None)
    if half:
        p = half["hub"]["p99_us"]
        t["p99_half_load"] = {"what": f"p99 < {TARGET_P99_US:.0f} us at half the maximum load",
                              "value": p, "met": p is not None and p < TARGET_P99_US,
                              "relay": half.get("relay", {}).get("p99_us")}
    if mem:
        t["memory_flat"] = {"what": "hub RSS flat with a stalled eater",
                            "value": mem["range_after_settle_kb"], "met": mem["flat"]}
    print("\nhub targets:")
    for v in t.values():
        extra = f" (relay {fmt(v['relay'], ',.1f')})" if "relay" in v else ""
        print(f"  {v['what']}: {'met' if v['met'] else 'NOT met'} ({fmt(v['value'], ',.3f')}){extra}")
    return t


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default=os.environ.get("ND_BUILD", os.path.join(ROOT, "build")))
    ap.add_argument("--json", default=os.path.join(ROOT, "bench-hub.json"))
    ap.add_argument("--quick", action="store_true", help="1->10 only, short runs: ~30 s")
    ap.add_argument("--runs", type=int, help="runs per case [3; quick 1]")
    a = ap.parse_args()
    runs = a.runs or (1 if a.quick else 3)
    bench = os.path.join(a.build, "bench", "hub", "nd-hub-bench")
    hub = os.path.join(a.build, "hub", "nd-hub")
    relay = os.path.join(a.build, "bench", "hub", "nd-bench-relay")
    t0 = time.time()
    if not (os.access(bench, os.X_OK) and os.access(hub, os.X_OK)):
        result = {"status": "absent", "notes": [f"{bench} or {hub} is not built"]}
        print("hub: skipped: nd-hub-bench or nd-hub is not built")
    else:
        servers = {"hub": hub}
        notes = []
        if os.access(relay, os.X_OK):
            servers["relay"] = relay
        else:
            notes.append(f"{relay} is not built: no baseline")
        la0 = os.getloadavg()
        thr = throughput(a, servers, bench, runs)
        r10 = next(r for r in thr if r["case"] == "1->10")
        max_rate = r10["hub"]["dumplings_per_s"]
        lat = latency(a, servers, bench, runs, max_rate) if max_rate else []
        mem = memory(a, hub, bench)
        result = {"status": "ok", "source": "bench/hub/run.py", "runs": runs,
                  "load_average": {"start": la0, "end": os.getloadavg()},
                  "servers": servers, "throughput": thr, "latency": lat, "memory": mem,
                  "notes": notes}
        result["targets"] = targets(thr, lat, mem)
        result["seconds"] = time.time() - t0
        print(f"hub: {result['seconds']:.0f} s, load average {la0[0]:.2f} -> "
              f"{os.getloadavg()[0]:.2f}")
    os.makedirs(os.path.dirname(os.path.abspath(a.json)), exist_ok=True)
    with open(a.json, "w") as fp:
        json.dump(result, fp, indent=2)
        fp.write("\n")


if __name__ == "__main__":
    main()
