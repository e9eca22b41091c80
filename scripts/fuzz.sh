#!/bin/sh
# fuzz.sh [SECONDS]: builds the clang fuzz build (ASan + UBSan + libFuzzer)
# and runs each fuzz target for SECONDS (default 60) on a seed corpus the
# suite generates plus every saved regression input.  Exits non-zero on
# any crash, leak, timeout or broken invariant; the failing input is left
# in the artifacts directory it prints, to be added to
# tests/data/dissect-regressions/ (fuzz_dissect) or tests/data/fuzz-NAME/
# (fuzz_NAME: dumpling, hubmsg, eatermsg, pcapfile), kept forever, once
# fixed.
#
# Environment: ND_FUZZ_BUILD (build directory, default build-fuzz),
# ND_FUZZ_JOBS (build parallelism, default 2).
set -eu

secs=${1:-60}
case $secs in
''|*[!0-9]*) echo "fuzz.sh: SECONDS must be a whole number, got '$secs'" >&2; exit 2 ;;
esac
root=$(cd "$(dirname "$0")/.." && pwd)
build=${ND_FUZZ_BUILD:-$root/build-fuzz}
jobs=${ND_FUZZ_JOBS:-2}
python=/usr/bin/python3
[ -x "$python" ] || python=python3

CC=clang cmake -S "$root" -B "$build" -DND_FUZZ=ON -DND_SANITIZE=ON \
	-DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j "$jobs" --target fuzz_dissect fuzz_dumpling fuzz_hubmsg \
	fuzz_eatermsg fuzz_pcapfile

work=$(mktemp -d "${TMPDIR:-/tmp}/nd-fuzz.XXXXXX")
cleanup() { rm -rf "$work"/corpus* "$work/seeds"; }
trap cleanup EXIT INT TERM
mkdir -p "$work/corpus" "$work/seeds" "$work/artifacts"
if ! "$python" "$root/tests/fuzz/make_seeds.py" "$work/seeds"; then
	echo "fuzz.sh: no generated seeds (python3-scapy missing?); using the regression inputs only" >&2
fi

status=0
for target in "$build"/tests/fuzz/fuzz_*; do
	[ -x "$target" ] || continue
	case $(basename "$target") in fuzz_test_*) continue ;; esac
	name=$(basename "$target")
	# Each target: its own corpus, its seeds and kept inputs.
	case $name in
	fuzz_dissect) keep="$root/tests/data/dissect-regressions"; seeds="$work/seeds" ;;
	*) keep="$root/tests/data/fuzz-${name#fuzz_}"; seeds= ;;
	esac
	mkdir -p "$work/corpus-$name"
	echo "fuzz.sh: running $name for ${secs}s"
	if ! ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	     UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	     "$target" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-max_len=4096 -print_final_stats=1 \
		-artifact_prefix="$work/artifacts/" \
		"$work/corpus-$name" $seeds "$keep" \
		>"$work/$name.log" 2>&1; then
		status=1
		tail -n 60 "$work/$name.log" >&2
		echo "fuzz.sh: $name FAILED; inputs in $work/artifacts/ (add them to $keep/)" >&2
	else
		grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb|Done [0-9]+ runs|DONE +cov' \
			"$work/$name.log" || true
	fi
done
if [ $status -eq 0 ]; then
	rm -rf "$work"
fi
exit $status
