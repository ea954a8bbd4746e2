#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Judges the console log of guest/usbio_sysfs.sh: the unplug scenarios with
# the device deauthorised in sysfs instead of unplugged.
# usage: check-usbio_sysfs.sh CONSOLE_LOG high|full     exit 0 when all hold
set -u
LOG=$1
. "$(dirname "$0")/check-lib.sh"

check_guest_finished
expect hw_tests_rc 0
check_gtest_all_passed "usbio_hw_tests unplug scenarios"
runs=$(grep -c '^\[       OK \] UnplugTest\.' "$C")
failed=$(grep -c '^\[  FAILED  \] UnplugTest\..*(' "$C")
echo "  info $runs scenario run(s) passed, $failed failed"
[ "$failed" = 0 ] || bad "$failed scenario run(s) failed"
grep -E '^\[  FAILED  \]|Failure$|^[a-z_]+: ' "$C" | sed 's/^/  /' | head -20
grep -q 'unplug=sysfs' "$C" && ok "unplugged through sysfs" || bad "not unplugged through sysfs"
echo "  unplug (deauthorise) to ENODEV, per blocked caller:"
grep '^USBIO-HW-MEASURE scenario=' "$C" | sed 's/^USBIO-HW-MEASURE /    /'
expect gadget_exit 0
expect kernel_errors 0
check_verdict usbio_sysfs
