#!/usr/bin/env bash
# run.sh: the hub benchmark, one command (see bench/hub/run.py).
#   bench/hub/run.sh [--build DIR] [--json FILE] [--quick] [--runs R]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
exec python3 "$here/run.py" "$@"
