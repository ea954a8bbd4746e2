# SPDX-License-Identifier: Apache-2.0
# Disconnect loop: usbio_hw_discloop unplugs and re-plugs the chip model
# (vbench.chip) many times, bounded by count and time (vbench.cycles and
# vbench.cycle_seconds; 60 cycles in 240 s on the CP2112, 10 in 40 s on the
# FT232H, whose run is added to the same CI time), with I2C and GPIO calls in
# flight on several threads; the host checks its DISCLOOP-RESULT lines.
. /vbench/lib.sh
. /vbench/usbio_lib.sh

usbio_bench_up || exit 1
cycles=60 seconds=240
[ "$USBIO_CHIP" = ft232h ] && cycles=10 seconds=40
c=$(vb_cmdline vbench.cycles)
[ -n "$c" ] && cycles=$c
c=$(vb_cmdline vbench.cycle_seconds)
[ -n "$c" ] && seconds=$c
t0=$(vb_uptime)
timeout $((seconds + 60)) usbio_hw_discloop --cycles "$cycles" --seconds "$seconds" 2> /tmp/dl.err
rc=$?
vb_result discloop_rc "$rc"
vb_result discloop_wall_seconds "$(awk -v a="$t0" -v b="$(vb_uptime)" 'BEGIN { printf "%.1f", b - a }')"
sed 's/^/DISCLOOP-STDERR| /' /tmp/dl.err
[ "$rc" = 0 ] || vb_dump_logs
usbio_bench_down
exit 0
