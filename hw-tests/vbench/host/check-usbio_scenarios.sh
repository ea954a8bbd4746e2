#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Judges the console log of guest/usbio_scenarios.sh: usbio_hw_tests run
# through the libusb transport against the CP2112 model, and `usbio watch`
# seeing the adapter leave and come back. Prints every unplug-to-ENODEV
# figure the scenarios measured.
# usage: check-usbio_scenarios.sh CONSOLE_LOG high|full     exit 0 when all hold
set -u
LOG=$1
. "$(dirname "$0")/check-lib.sh"
check_guest_finished

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
check_gtest_all_passed "usbio_hw_tests scenarios"
grep -q '^\[  SKIPPED \]' "$C" && bad "scenarios skipped: $(grep '^\[  SKIPPED \]' "$C" | tr '\n' ' ')"
grep -E '^\[  FAILED  \]' "$C" | sed 's/^/  /'
echo "  info usbio_hw_tests took $(result hw_tests_seconds) s"

# Every blocked caller of every unplug scenario reported its time to ENODEV.
for s in i2c_read edge_wait shared_handle; do
    n=$(grep -c "^USBIO-HW-MEASURE scenario=$s caller=.* unplug_to_enodev_ms=[0-9]" "$C")
    none=$(grep -c "^USBIO-HW-MEASURE scenario=$s caller=.* unplug_to_enodev_ms=none" "$C")
    if [ "$n" -ge 1 ] && [ "$none" = 0 ]; then ok "$s: $n caller(s) measured"; else bad "$s: $n caller(s) measured, $none without ENODEV"; fi
done
# A misbehaving device (FaultTest): each call gave the right value or an
# error, never wrong data.
n=$(grep -c '^USBIO-HW-MEASURE test=FaultTest\.' "$C")
wrong=$(grep -c '^USBIO-HW-MEASURE test=FaultTest\..*=WRONG' "$C")
if [ "$n" -ge 1 ] && [ "$wrong" = 0 ]; then ok "faults: $n call(s), none with wrong data"; else bad "faults: $n call(s), $wrong with wrong data"; fi
echo "  unplug to ENODEV, per blocked caller (ms from the start of the unbind):"
grep '^USBIO-HW-MEASURE scenario=' "$C" | sed 's/^USBIO-HW-MEASURE /    /'
grep '^USBIO-HW-MEASURE test=' "$C" | sed 's/^USBIO-HW-MEASURE /  info /'
expect gadget_exit 0
expect kernel_errors 0

check_verdict usbio_scenarios
