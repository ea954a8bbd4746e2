# SPDX-License-Identifier: Apache-2.0
# The bench scenarios of hw-tests (usbio_hw_tests) against the CP2112 or
# FT232H model (vbench.chip) through the libusb transport, unplugging by
# unbinding the gadget; `usbio watch --json` seeing the adapter leave and
# come back; on the FT232H, usbio detaching the kernel's ftdi_sio for a
# command and giving the port back to it afterwards.
. /vbench/lib.sh
. /vbench/usbio_lib.sh

usbio_bench_up || exit 1
d=$(usbio_device) && vb_result usb_device "${d##*/} $(cat "$d/speed") Mbit/s serial $(cat "$d/serial")"

# --- FT232H: ftdi_sio has it as a serial port; usbio detaches it for an
# I2C command (with each_byte ACK checks) and re-attaches it on release.
if [ "$USBIO_CHIP" = ft232h ]; then
    vb_wait 10 usbio_ftdi_sio_bound
    vb_result kernel_driver_before "$(usbio_kernel_driver) $(ls /dev/ttyUSB* 2>/dev/null | tr '\n' ' ')"
    usbio i2c get -y --ack-check each_byte "$USBIO_SERIAL" 0x48 0 w > /tmp/get.out 2>&1
    vb_result cli_get_rc "$?"
    vb_result cli_get "$(tr '\n' ' ' < /tmp/get.out)"
    vb_wait 10 usbio_ftdi_sio_bound
    vb_result kernel_driver_after "$(usbio_kernel_driver) $(ls /dev/ttyUSB* 2>/dev/null | tr '\n' ' ')"
    dmesg | grep -E 'ftdi_sio|FTDI' | sed 's/^/VBENCH-DMESG /'
fi

# --- usbio list: the adapter, found through libusb.
usbio list --json > /tmp/list.json 2> /tmp/list.err
vb_result list_rc "$?"
vb_result list "$(cat /tmp/list.json /tmp/list.err | tr '\n' ' ')"

# --- usbio watch --json in the background: the adapter present at the
# start, then its departure on unplug and its return on re-plug. watch binds
# the adapter (claims its interface), so it runs on its own, before the
# scenarios, which need the adapter to themselves.
if usbio watch --help > /dev/null 2>&1; then
    usbio watch --json --count 3 --timeout 60 > /tmp/watch.out 2> /tmp/watch.err &
    watcher=$!
    arrived() { [ "$(grep -c '"event":"arrived"' /tmp/watch.out)" -ge "$1" ]; }
    removed() { grep -q '"event":"removed"' /tmp/watch.out; }
    watcher_gone() { ! kill -0 "$watcher" 2>/dev/null; }
    vb_wait 20 arrived 1 || vb_fail "usbio watch did not report the adapter present at its start"
    t0=$(vb_uptime)
    unplug
    vb_wait 10 removed || vb_fail "usbio watch did not report the departure"
    t1=$(vb_uptime)
    plug
    vb_wait 20 arrived 2 || vb_fail "usbio watch did not report the re-plugged adapter"
    t2=$(vb_uptime)
    vb_wait 10 watcher_gone || { vb_fail "usbio watch did not end after 3 events"; kill "$watcher"; }
    wait "$watcher"
    vb_result watch_rc "$?"
    vb_result watch_events "$(sed 's/"time":"[^"]*",//' /tmp/watch.out | tr '\n' ' ')"
    vb_result watch_removed_after_ms "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%d", (b - a) * 1000 }')"
    vb_result watch_arrived_after_ms "$(awk -v a="$t1" -v b="$t2" 'BEGIN { printf "%d", (b - a) * 1000 }')"
    sed 's/^/WATCH-ERR| /' /tmp/watch.err
else
    vb_result watch_rc "no watch command"
fi
vb_wait 10 usbio_present || { vb_fail "the $USBIO_CHIP is not back"; exit 1; }

# --- the scenarios. Their output goes to the console as it comes: the
# host reads USBIO-HW-MEASURE lines (unplug to ENODEV per blocked caller).
t0=$(vb_uptime)
timeout 300 usbio_hw_tests --gtest_color=no 2> /tmp/hw.err
rc=$?
vb_result hw_tests_rc "$rc"
vb_result hw_tests_seconds "$(awk -v a="$t0" -v b="$(vb_uptime)" 'BEGIN { printf "%.1f", b - a }')"
sed 's/^/HW-STDERR| /' /tmp/hw.err
[ "$rc" = 0 ] || vb_dump_logs

usbio_bench_down
exit 0
