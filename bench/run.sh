#!/usr/bin/env bash
# run.sh: the benchmark harness, one command.  See docs/bench.md.
#   bench/run.sh [--quick] [--build DIR] [--json FILE] [--packets N] [--runs R] ...
# Everything is driven by bench/run.py (standard-library Python 3).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
exec python3 "$here/run.py" "$@"
