#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs one fuzz target for ctest:
#   run_fuzzer.sh corpus BINARY WORKDIR CORPUS   runs each checked-in input once
#   run_fuzzer.sh fuzz BINARY WORKDIR CORPUS SECONDS [libFuzzer flags...]
#     fuzzes for SECONDS (the environment's USBIO_FUZZ_SECONDS, if set, wins)
# When fuzzing, new inputs go to WORKDIR/corpus (the checked-in CORPUS is
# only read). A crashing input is saved under WORKDIR/artifacts and its path
# printed with the command that reproduces it.
set -uo pipefail
mode=$1 bin=$2 work=$3 corpus=$4
shift 4
name=$(basename "$bin")
mkdir -p "$work/corpus" "$work/artifacts"
log="$work/$mode.log"
start=$(date +%s)
dirs=("$corpus")
[ "$mode" = corpus ] && set -- -runs=0 "$@"
if [ "$mode" = fuzz ]; then
  seconds=${USBIO_FUZZ_SECONDS:-$1}
  shift
  set -- -max_total_time="$seconds" "$@"
  dirs=("$work/corpus" "$corpus")
fi
"$bin" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$work/artifacts/" \
  "$@" "${dirs[@]}" >"$log" 2>&1
rc=$?
secs=$(($(date +%s) - start))
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
if [ $rc -ne 0 ]; then
  # The report: the first line of the harness's, a sanitizer's or libFuzzer's
  # message and the stack under it (a shadow-memory dump can be longer than
  # any tail).
  first='==[0-9]+==ERROR|runtime error|ERROR: libFuzzer|check failed|malformed request|undocumented error|\(virtual\)'
  grep -m1 -A45 -E "$first" "$log" || tail -n 60 "$log"
  artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
  echo "FAIL $name: libFuzzer exited with $rc after ${execs:-?} executions in ${secs}s"
  if [ -n "$artifact" ]; then
    echo "FAIL $name: crash input saved: $artifact"
    echo "FAIL $name: reproduce with: $bin $artifact"
  fi
  exit 1
fi
grep -E '^(INFO: seed corpus|#[0-9]+ +(INITED|DONE))' "$log" | tail -3
if [ "$mode" = fuzz ]; then
  echo "$name: ${execs:-?} executions in ${secs}s, corpus $(ls "$work/corpus" | wc -l) found + $(ls "$corpus" | wc -l) seed inputs"
else
  echo "$name: the $(ls "$corpus" | wc -l) checked-in inputs ran clean"
fi
