#!/usr/bin/env bash
# test_bench_quick.sh: runs `bench/run.sh --quick` on a small capture and
# checks it printed its table and wrote a JSON file with a measured ceiling
# and a row for every case it attempted, and the hub part's throughput (hub
# and relay, every eater complete), latency at three loads and RSS series.
# Nothing about speed is checked.
# Usage: test_bench_quick.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
SRC=$1
BUILD=$2
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# Small enough for sanitizer builds on a busy machine.
timeout 240 "$SRC/bench/run.sh" --quick --packets 100000 --only kitchen,hub \
  --build "$BUILD" --json "$TMP/bench.json" | tee "$TMP/out.txt"

grep -q "^case .*packets/s .*ns/pkt .*vs ceiling" "$TMP/out.txt" || { echo "FAIL: no table header"; exit 1; }
grep -q "^ceiling: nd-pcapcount " "$TMP/out.txt" || { echo "FAIL: no ceiling row"; exit 1; }
python3 - "$TMP/bench.json" <<'PYEOF'
import json, sys
r = json.load(open(sys.argv[1]))
k = r["kitchen_offline"]
assert k["status"] == "ok" and k["packets"] == 100000, k.get("status")
rows = {x["case"]: x for x in k["results"]}
c = rows["ceiling: nd-pcapcount"]
assert c["runs"] == 3 and c["packets_seen"] == 100000 and c["packets_per_s"] > 0, c
for x in k["results"]:
    if "error" in x:
        print("case failed:", x["case"], x["error"])
    else:
        assert x["runs"] == 3 and x["ns_per_packet"] > 0 and "ratio_to_ceiling" in x, x
        if x.get("packets_seen") is not None:
            assert x["packets_seen"] == 100000, x
assert "hub" in r and "machine" in r
h = r["hub"]
assert h["status"] == "ok", h.get("notes")
t = {x["case"]: x for x in h["throughput"]}["1->10"]
# Figures of every run (complete or not: a sanitized build on a busy machine
# may see an eater marked slow; completeness is printed, not asserted here).
for s in ("hub", "relay"):
    assert t[s]["runs"][0]["metrics"]["deliveries/s"] > 0, t[s]["runs"][0]["output"][-3:]
assert [x["load"] for x in h["latency"]] == [0.1, 0.5, 0.9], h["latency"]
for x in h["latency"]:
    for s in ("hub", "relay"):
        mm = x[s]["runs"][0]["metrics"]
        assert mm["lat_n"] > 0 and mm["lat_p99_us"] >= mm["lat_p50_us"] > 0, (x["load"], s, mm)
m = h["memory"]
assert len(m["rss_series_kb"]) >= 3, m["run"]["output"][-3:]
assert set(h["targets"]) == {"deliveries_1to10", "cpu_1to10", "p99_half_load", "memory_flat"}
assert r["targets"], "no targets summary"
print("PASS:", len(k["results"]), "kitchen cases; hub throughput, latency, memory")
PYEOF
