#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Judges the console log of guest/usbio_scenarios.sh: usbio_hw_tests run
# through the libusb transport against the CP2112 or FT232H model, and
# `usbio watch` seeing the adapter leave and come back; on the FT232H,
# ftdi_sio bound before and after a usbio command. Prints every
# unplug-to-ENODEV figure the scenarios measured.
# usage: check-usbio_scenarios.sh CONSOLE_LOG high|full [cp2112|ft232h]    exit 0 when all hold
set -u
LOG=$1
CHIP=${3:-cp2112}
. "$(dirname "$0")/check-lib.sh"
check_guest_finished

if [ "$CHIP" = ft232h ]; then
    SERIAL=VBENCHFT01 DRIVER=ftdi
    # The kernel's serial driver has the port before and after usbio's
    # command (which detached it and gave it back on release).
    expect_match kernel_driver_before '^ftdi_sio /dev/ttyUSB0'
    expect cli_get_rc 0
    expect_match cli_get '^0x[0-9a-f]{4} *$'
    expect_match kernel_driver_after '^ftdi_sio /dev/ttyUSB0'
else
    SERIAL=VBENCH0001 DRIVER=cp2112
fi
expect_match usb_device "serial $SERIAL\$"
expect list_rc 0
expect_match list "\"serial\":\"$SERIAL\""
expect_match list "\"driver\":\"$DRIVER\""
watch=$(result watch_rc)
if [ "$watch" = "no watch command" ]; then
    echo "  note usbio has no watch command; usbio list was checked instead"
else
    expect watch_rc 0
    expect_match watch_events "^\\{\"event\":\"arrived\",[^}]*\"serial\":\"$SERIAL\"[^}]*\\} \\{\"event\":\"removed\",[^}]*\"serial\":\"$SERIAL\"[^}]*\\} \\{\"event\":\"arrived\",[^}]*\"serial\":\"$SERIAL\""
    echo "  info usbio watch: removed $(result watch_removed_after_ms) ms after the unplug began, arrived $(result watch_arrived_after_ms) ms after the re-plug began"
fi

# The scenarios: all ran, none failed, none skipped (the bench has every
# fixture the scenarios use; FaultTest's faults are CP2112 reports, so on
# the FT232H it alone skips).
expect hw_tests_rc 0
if [ "$CHIP" = ft232h ]; then
    check_gtest_all_passed "usbio_hw_tests scenarios" '^\[  SKIPPED \] FaultTest\.'
else
    check_gtest_all_passed "usbio_hw_tests scenarios"
fi
if [ "$CHIP" = ft232h ]; then
    skipped=$(grep '^\[  SKIPPED \]' "$C" | grep -vE 'FaultTest\.|SKIPPED \] [0-9]+ tests?, listed below')
else
    skipped=$(grep '^\[  SKIPPED \]' "$C")
fi
[ -n "$skipped" ] && bad "scenarios skipped: $(echo "$skipped" | tr '\n' ' ')"
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
if [ "$CHIP" != ft232h ]; then
    n=$(grep -c '^USBIO-HW-MEASURE test=FaultTest\.' "$C")
    wrong=$(grep -c '^USBIO-HW-MEASURE test=FaultTest\..*=WRONG' "$C")
    if [ "$n" -ge 1 ] && [ "$wrong" = 0 ]; then ok "faults: $n call(s), none with wrong data"; else bad "faults: $n call(s), $wrong with wrong data"; fi
fi
echo "  unplug to ENODEV, per blocked caller (ms from the start of the unbind):"
grep '^USBIO-HW-MEASURE scenario=' "$C" | sed 's/^USBIO-HW-MEASURE /    /'
grep '^USBIO-HW-MEASURE test=' "$C" | sed 's/^USBIO-HW-MEASURE /  info /'
expect gadget_exit 0
expect kernel_errors 0

check_verdict "usbio_scenarios ($CHIP)"
