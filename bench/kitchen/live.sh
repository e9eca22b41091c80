#!/usr/bin/env bash
# live.sh: the live-capture benchmark (bench/kitchen/live.py does the work).
#   bench/kitchen/live.sh [--quick] --build DIR --json FILE [--rates top,100000]
# Needs root, `ip netns` and tcpreplay; without them it records why and exits 0.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
exec python3 "$here/live.py" "$@"
