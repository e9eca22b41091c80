# lib.sh: shared helpers for the kitchen's process-level tests (sourced).
# Every test gets its own temp dir and kills what it started on any exit.
set -euo pipefail
PY=/usr/bin/python3
T=$(mktemp -d /tmp/nd-kitchen-test.XXXXXX)
PIDS=()
CLEANUPS=()

cleanup() {
	local rc=$?
	for p in "${PIDS[@]:-}"; do
		[ -n "$p" ] && kill -9 "$p" 2>/dev/null || true
	done
	for c in "${CLEANUPS[@]:-}"; do
		[ -n "$c" ] && eval "$c" >/dev/null 2>&1 || true
	done
	if [ $rc -ne 0 ]; then
		echo "--- test failed (rc $rc); files in $T:" >&2
		for f in "$T"/*.err "$T"/*.log; do
			[ -f "$f" ] && { echo "--- $f" >&2; tail -n 30 "$f" | cut -c1-300 >&2; }
		done
	fi
	rm -rf "$T"
	exit $rc
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

# wait_for CMD...: retries CMD for up to 20 s.
wait_for() {
	local i
	for i in $(seq 1 200); do
		if "$@" >/dev/null 2>&1; then return 0; fi
		sleep 0.1
	done
	return 1
}

# start_fakehub PORT LOG: starts the test hub; sets HUB_PID and HUB_PORT.
start_fakehub() {
	rm -f "$T/hubport"
	$PY "$ND_TESTDIR/fakehub.py" "$1" "$T/hubport" "$2" >/dev/null 2>>"$T/fakehub.err" &
	HUB_PID=$!
	PIDS+=("$HUB_PID")
	wait_for test -s "$T/hubport" || fail "the test hub did not start"
	HUB_PORT=$(cat "$T/hubport")
}

# no_sanitizer_report FILE: fails when a sanitizer reported anything.
no_sanitizer_report() {
	if grep -E "AddressSanitizer|LeakSanitizer|runtime error:|Segmentation" "$1" >&2; then
		fail "sanitizer report in $1"
	fi
}
