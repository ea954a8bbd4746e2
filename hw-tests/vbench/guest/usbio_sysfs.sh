# SPDX-License-Identifier: Apache-2.0
# The unplug scenarios of usbio_hw_tests with the unplug a bench engineer
# without a switchable hub uses: deauthorising the device in sysfs
# (authorized=0, re-plug authorized=1), on the host side of dummy_hcd.
. /vbench/lib.sh
. /vbench/usbio_lib.sh

usbio_bench_up || exit 1
unset USBIO_HW_UNPLUG_CMD USBIO_HW_REPLUG_CMD
export USBIO_HW_UNPLUG=sysfs
# A re-authorised device is back within a second when it comes back at all.
export USBIO_HW_REPLUG_TIMEOUT_MS=5000
# A rare failure can be chased inside one boot: vbench.hw_filter picks the
# scenarios, vbench.hw_repeat runs them that many times (VBENCH_CMDLINE).
filter=$(vb_cmdline vbench.hw_filter)
repeat=$(vb_cmdline vbench.hw_repeat)
t0=$(vb_uptime)
timeout $((300 * ${repeat:-1})) usbio_hw_tests --gtest_color=no --gtest_filter="${filter:-UnplugTest.*}" \
    --gtest_repeat="${repeat:-1}" 2> /tmp/hw.err
rc=$?
vb_result hw_tests_rc "$rc"
vb_result hw_tests_seconds "$(awk -v a="$t0" -v b="$(vb_uptime)" 'BEGIN { printf "%.1f", b - a }')"
sed 's/^/HW-STDERR| /' /tmp/hw.err
# What a program started afterwards sees (the device is authorised again).
vb_result authorized "$(cat /sys/bus/usb/devices/1-1/authorized 2>&1)"
vb_result list_after "$(usbio list --json 2>&1 | tr '\n' ' ')"
[ "$rc" = 0 ] || vb_dump_logs
usbio_bench_down
exit 0
