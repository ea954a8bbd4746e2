#!/bin/sh
# Judges the console log of guest/usbio_sysfs.sh: the unplug scenarios with
# the device deauthorised in sysfs instead of unplugged.
# usage: check-usbio_sysfs.sh CONSOLE_LOG high|full     exit 0 when all hold
set -u
LOG=$1
failures=0
C=$(mktemp)
trap 'rm -f "$C"' EXIT
tr -d '\r' < "$LOG" > "$C"
result() { sed -n "s/^VBENCH-RESULT $1=//p" "$C" | tail -1; }
ok() { echo "  ok   $*"; }
bad() { echo "  FAIL $*"; failures=$((failures + 1)); }

echo "vbench: checking $LOG"
grep -q '^VBENCH-DONE rc=0' "$C" || bad "the scenario did not finish with rc=0"
grep -q '^VBENCH-FAIL' "$C" && bad "the guest reported failures: $(grep '^VBENCH-FAIL' "$C" | tr '\n' ' ')"
[ "$(result hw_tests_rc)" = 0 ] && ok "usbio_hw_tests exit 0" || bad "usbio_hw_tests exit '$(result hw_tests_rc)'"
ran=$(sed -n 's/^\[==========\] Running \([0-9]*\) tests\{0,1\} from.*/\1/p' "$C" | tail -1)
passed=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) tests\{0,1\}\./\1/p' "$C" | tail -1)
if [ -n "$ran" ] && [ "$ran" -gt 0 ] && [ "$passed" = "$ran" ]; then
    ok "all $ran unplug scenarios passed"
else
    bad "'$passed' of '$ran' unplug scenarios passed: $(grep -E '^\[  (FAILED|SKIPPED) *\]' "$C" | tr '\n' ' ')"
fi
grep -E '^\[  FAILED  \]|Failure$|^[a-z_]+: ' "$C" | sed 's/^/  /' | head -20
grep -q 'unplug=sysfs' "$C" && ok "unplugged through sysfs" || bad "not unplugged through sysfs"
echo "  unplug (deauthorise) to ENODEV, per blocked caller:"
grep '^USBIO-HW-MEASURE scenario=' "$C" | sed 's/^USBIO-HW-MEASURE /    /'
[ "$(result gadget_exit)" = 0 ] && ok "gadget_exit = 0" || bad "gadget_exit = '$(result gadget_exit)'"
[ "$(result kernel_errors)" = 0 ] && ok "kernel_errors = 0" || bad "kernel_errors = '$(result kernel_errors)'"
echo "vbench: usbio_sysfs: $failures failed check(s)"
[ "$failures" = 0 ]
