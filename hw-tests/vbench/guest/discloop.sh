# SPDX-License-Identifier: Apache-2.0
# Disconnect loop: usbio_hw_discloop unplugs and re-plugs the CP2112 model
# many times (bounded by count and time) with I2C and GPIO calls in flight
# on several threads; the host checks its DISCLOOP-RESULT lines.
. /vbench/lib.sh
. /vbench/usbio_lib.sh

usbio_bench_up || exit 1
# 60 cycles, or as many as fit in 240 s under emulation.
t0=$(vb_uptime)
timeout 300 usbio_hw_discloop --cycles 60 --seconds 240 2> /tmp/dl.err
rc=$?
vb_result discloop_rc "$rc"
vb_result discloop_wall_seconds "$(awk -v a="$t0" -v b="$(vb_uptime)" 'BEGIN { printf "%.1f", b - a }')"
sed 's/^/DISCLOOP-STDERR| /' /tmp/dl.err
[ "$rc" = 0 ] || vb_dump_logs
usbio_bench_down
exit 0
