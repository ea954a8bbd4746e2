#!/bin/sh
# Judges the console log of guest/usbio_scenarios.sh: usbio_hw_tests run
# through the libusb transport against the CP2112 model, and `usbio watch`
# seeing the adapter leave and come back. Prints every unplug-to-ENODEV
# figure the scenarios measured.
# usage: check-usbio_scenarios.sh CONSOLE_LOG high|full     exit 0 when all hold
set -u
LOG=$1
failures=0
C=$(mktemp)
trap 'rm -f "$C"' EXIT
tr -d '\r' < "$LOG" > "$C"

result() { sed -n "s/^VBENCH-RESULT $1=//p" "$C" | tail -1; }
ok() { echo "  ok   $*"; }
bad() { echo "  FAIL $*"; failures=$((failures + 1)); }
expect() { # KEY EXPECTED
    got=$(result "$1")
    [ "$got" = "$2" ] && ok "$1 = $got" || bad "$1 = '$got', expected '$2'"
}
expect_match() { # KEY REGEX
    got=$(result "$1")
    echo "$got" | grep -Eq "$2" && ok "$1 = $got" || bad "$1 = '$got', expected to match /$2/"
}

echo "vbench: checking $LOG"
grep -q '^VBENCH-DONE rc=0' "$C" || bad "the scenario did not finish with rc=0"
if grep -q '^VBENCH-FAIL' "$C"; then
    grep '^VBENCH-FAIL' "$C" | sed 's/^/  /'
    bad "the guest reported failures"
fi

expect_match usb_device 'serial VBENCH0001$'
expect list_rc 0
expect_match list '"serial":"VBENCH0001"'
expect_match list '"driver":"cp2112"'
watch=$(result watch_rc)
if [ "$watch" = "no watch command" ]; then
    echo "  note usbio has no watch command; usbio list was checked instead"
else
    expect watch_rc 0
    expect_match watch_events '^\{"event":"arrived",[^}]*"serial":"VBENCH0001"[^}]*\} \{"event":"removed",[^}]*"serial":"VBENCH0001"[^}]*\} \{"event":"arrived",[^}]*"serial":"VBENCH0001"'
    echo "  info usbio watch: removed $(result watch_removed_after_ms) ms after the unplug began, arrived $(result watch_arrived_after_ms) ms after the re-plug began"
fi

# The scenarios: all ran, none failed, none skipped (the bench has every
# fixture the scenarios use).
expect hw_tests_rc 0
ran=$(sed -n 's/^\[==========\] Running \([0-9]*\) tests\{0,1\} from.*/\1/p' "$C" | tail -1)
passed=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) tests\{0,1\}\./\1/p' "$C" | tail -1)
if [ -n "$ran" ] && [ "$ran" -gt 0 ] && [ "$passed" = "$ran" ]; then
    ok "usbio_hw_tests: all $ran scenarios passed"
else
    bad "usbio_hw_tests: '$passed' of '$ran' scenarios passed: $(grep -E '^\[  (FAILED|SKIPPED) *\]' "$C" | tr '\n' ' ')"
fi
grep -q '^\[  SKIPPED \]' "$C" && bad "scenarios skipped: $(grep '^\[  SKIPPED \]' "$C" | tr '\n' ' ')"
grep -E '^\[  FAILED  \]' "$C" | sed 's/^/  /'
echo "  info usbio_hw_tests took $(result hw_tests_seconds) s"

# Every blocked caller of every unplug scenario reported its time to ENODEV.
for s in i2c_read edge_wait shared_handle; do
    n=$(grep -c "^USBIO-HW-MEASURE scenario=$s caller=.* unplug_to_enodev_ms=[0-9]" "$C")
    none=$(grep -c "^USBIO-HW-MEASURE scenario=$s caller=.* unplug_to_enodev_ms=none" "$C")
    if [ "$n" -ge 1 ] && [ "$none" = 0 ]; then ok "$s: $n caller(s) measured"; else bad "$s: $n caller(s) measured, $none without ENODEV"; fi
done
echo "  unplug to ENODEV, per blocked caller (ms from the start of the unbind):"
grep '^USBIO-HW-MEASURE scenario=' "$C" | sed 's/^USBIO-HW-MEASURE /    /'
grep '^USBIO-HW-MEASURE test=' "$C" | sed 's/^USBIO-HW-MEASURE /  info /'
expect gadget_exit 0
expect kernel_errors 0

echo "vbench: usbio_scenarios: $failures failed check(s)"
[ "$failures" = 0 ]
