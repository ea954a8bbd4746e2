#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds and runs the whole test suite: the default build, then the same
# tests with clang, under AddressSanitizer+UBSan and under ThreadSanitizer, then the
# fuzz targets (clang build: each checked-in corpus once, then a bounded
# fuzz run per target). The benchmark figures are printed after the default
# build (measurements, not pass/fail tests). Ends with one summary line over
# all five builds.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh

jobs=$(nproc)
status=0
passed=0
failed=0
digest=""

run_preset() {
  local preset=$1
  echo "=== $preset: configure and build"
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" -j "$jobs"
  echo "=== $preset: test"
  local log=build/$preset/ctest-output.log
  ctest --preset "$preset" -j "$jobs" --output-on-failure 2>&1 | tee "$log" || true
  # "100% tests passed, 0 tests failed out of 42"
  local line total nfail
  line=$(grep -E 'tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -1 || true)
  if [ -z "$line" ]; then
    echo "=== $preset: ctest printed no summary"; status=1
  else
    total=$(sed -E 's/.*out of ([0-9]+).*/\1/' <<<"$line")
    nfail=$(sed -E 's/.*passed, ([0-9]+) tests? failed.*/\1/' <<<"$line")
    passed=$((passed + total - nfail)); failed=$((failed + nfail))
    [ "$nfail" -eq 0 ] || status=1
    [ "$nfail" -eq 0 ] || digest+=$(failure_digest "$preset")$'\n'
  fi
}

# The failing tests of a preset and the lines of their output that say why,
# repeated at the very end where a truncated log still shows them.
failure_digest() {
  local preset=$1
  echo "--- $preset: failed tests"
  sed -n '/The following tests FAILED:/,/^Errors while running/p' "build/$preset/ctest-output.log" | grep -E '^\s+[0-9]+ - ' || true
  # LastTest.log holds every test's output in a section that ends with its
  # verdict; keep the telling lines of the failed sections only.
  awk '
    /^[0-9]+\/[0-9]+ Testing: / { n = 0; name = $0 }
    { sec[n++] = $0 }
    /^Test Failed/ {
      print name
      for (i = 0; i < n; i++) {
        if (sec[i] ~ /Failure$/) {  # gtest: the message follows on the next lines
          print "  " sec[i]; print "  " sec[i + 1]; print "  " sec[i + 2]; i += 2
        } else if (sec[i] ~ /first: |soak: |ERROR: AddressSanitizer|WARNING: ThreadSanitizer|runtime error|SUMMARY: |Timeout|Exception|FAIL /) {
          print "  " sec[i]
        }
      }
    }' "build/$preset/Testing/Temporary/LastTest.log" 2>/dev/null | head -60 || true
}

run_preset default

if [ -x build/default/bench/usbio_bench_revocable ]; then
  echo "=== benchmark (figures only)"
  build/default/bench/usbio_bench_revocable || true
  build/default/bench/usbio_bench_removal || true
fi

# The same code with clang (default flags, warnings as errors), so it is
# not tied to one compiler; the virtual bench and the soak run once above.
run_preset clang

# Sanitizer builds are 5-20x slower: the soak runs 1,000 cycles there (the
# default build runs the full 10,000).
export USBIO_SOAK_CYCLES=1000
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
run_preset asan
export TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1
run_preset tsan
# USBIO_FUZZ_SECONDS (default 60) is how long each target fuzzes; a crash
# fails its test and the test prints where the crashing input was saved.
fuzz_start=$SECONDS
run_preset fuzz
grep -h 'executions in' build/fuzz/Testing/Temporary/LastTest.log 2>/dev/null || true
echo "=== fuzz: build and run took $((SECONDS - fuzz_start)) s"

echo
if [ -n "$digest" ]; then
  echo "=== failures"
  printf '%s' "$digest"
fi
echo "all-builds: $passed passed, $failed failed"
exit $status
