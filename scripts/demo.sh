#!/usr/bin/env bash
# demo.sh: set up, build and run the whole system on the bundled capture:
# nd-hub, a kitchen (nd-sniff) replaying demo/demo.pcap at its recorded speed
# in a loop, and nd-print showing every dumpling.  Ctrl-C stops all of it.
#
#   bash scripts/demo.sh               the bundled capture
#   bash scripts/demo.sh --live IFACE  capture live on IFACE instead (root)
#
# Environment: ND_SKIP_SETUP=1 skips installing packages; ND_DEMO_BUILD_DIR
# reuses an existing build; ND_DEMO_IN_PORT / ND_DEMO_OUT_PORT change the
# hub's ports (default 11347 / 11348).
set -euo pipefail
cd "$(dirname "$0")/.."

live=""
while [ $# -gt 0 ]; do
  case "$1" in
    --live) [ $# -ge 2 ] || { echo "demo.sh: --live needs an interface" >&2; exit 2; }
            live=$2; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "demo.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
  esac
done

in_port=${ND_DEMO_IN_PORT:-11347}
out_port=${ND_DEMO_OUT_PORT:-11348}
build=${ND_DEMO_BUILD_DIR:-}

if [ -z "$build" ]; then
  [ "${ND_SKIP_SETUP:-0}" = 1 ] || bash scripts/setup.sh
  build=build-demo
  echo "demo: building in $build ..."
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DND_BUILD_TESTS=OFF >/dev/null
  cmake --build "$build" -j "$(nproc 2>/dev/null || echo 2)" \
        --target nd-hub nd-sniff nd-print chefs >/dev/null
fi

logs=$(mktemp -d /tmp/nd-demo.XXXXXX)
pids=()
cleanup() {
  trap - INT TERM EXIT
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "demo: stopped; logs are in $logs"
}
trap cleanup EXIT
trap 'exit 0' INT TERM

"$build/hub/nd-hub" --address localhost --in-port "$in_port" --out-port "$out_port" \
  --status-freq 2 --web-root eaters/web 2>"$logs/nd-hub.log" &
pids+=($!)
for _ in $(seq 50); do
  (exec 3<>"/dev/tcp/127.0.0.1/$in_port") 2>/dev/null && break
  kill -0 "${pids[0]}" 2>/dev/null || { cat "$logs/nd-hub.log" >&2; exit 1; }
  sleep 0.1
done

if [ -n "$live" ]; then
  kitchen=(-i "$live" -n "demo-$live")
else
  kitchen=(-r demo/demo.pcap --realtime --loop -n demo-kitchen)
fi
"$build/kitchen/nd-sniff" "${kitchen[@]}" -m "$build/chefs" -p 2 \
  -h "localhost:$in_port" --no-progress 2>"$logs/nd-sniff.log" &
pids+=($!)

cat <<MSG
demo: nd-hub is listening: kitchens on localhost:$in_port, eaters on localhost:$out_port
demo: dashboard: http://localhost:$out_port/
demo: hub and kitchen logs: $logs  (Ctrl-C stops everything)
MSG
"$build/eaters/nd-print" --hub "localhost:$out_port" --reconnect &
pids+=($!)
wait "${pids[2]}"
