#!/usr/bin/env bash
# test.sh: set up this machine, then build and run the whole test suite
# twice: a normal build and a build with AddressSanitizer and
# UndefinedBehaviorSanitizer.  Exits non-zero if anything fails.
#
#   ND_SKIP_SETUP=1   do not run scripts/setup.sh (already installed)
#   ND_TEST_VARIANTS  which builds to run (default "normal sanitize")
#   ND_CTEST_ARGS     extra arguments for ctest (for example "-R hub")
#   ND_FUZZ_SECONDS   seconds each fuzz target runs (default 30; 0 skips)
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${ND_SKIP_SETUP:-0}" != 1 ]; then
  bash scripts/setup.sh
fi

jobs=$(nproc 2>/dev/null || echo 2)
for variant in ${ND_TEST_VARIANTS:-normal sanitize}; do
  case "$variant" in
    normal)   flags=(-DND_SANITIZE=OFF) ;;
    sanitize) flags=(-DND_SANITIZE=ON) ;;
    *) echo "test.sh: unknown variant '$variant'" >&2; exit 2 ;;
  esac
  dir="build-test-$variant"
  echo "=== $variant build in $dir ==="
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "${flags[@]}"
  cmake --build "$dir" -j "$jobs"
  # detect_leaks: every test must free what it allocates.  A failing test
  # runs once more before the run fails: process-level tests on a shared
  # 2-core machine can lose a race with its load.  A test that fails twice
  # fails the run; ctest's output shows every rerun.
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir "$dir" --output-on-failure -j "$jobs" --repeat until-pass:2 \
      ${ND_CTEST_ARGS:-}
done
fuzz_secs=${ND_FUZZ_SECONDS:-30}
if [ "$fuzz_secs" -gt 0 ]; then
  echo "=== bounded fuzzing: ${fuzz_secs}s per target (clang, libFuzzer, ASan, UBSan) ==="
  ND_FUZZ_BUILD="$PWD/build-test-fuzz" bash scripts/fuzz.sh "$fuzz_secs"
fi
echo "=== all test builds passed ==="
