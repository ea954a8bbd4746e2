# SPDX-License-Identifier: Apache-2.0
# usbio's I2C ACK-check modes on the FT232H model: compare_ftdi times (a) a
# 32-byte write, (b) a 2-byte write + repeated START + 256-byte read, (c) a
# 4 KiB EEPROM read in at_end and in each_byte mode, and counts each one's
# USB round trips with the gadget's counters (OUT transfers). No kernel driver
# is loaded for the chip (ftdi_sio has no I2C), so usbio is alone on it.
# host/check-compare_ftdi.sh judges the results and makes the table.
. /vbench/lib.sh

SERIAL=VBENCHFT01
COUNTERS=/tmp/gadget.counters
MS_PER_OP=1000  # per operation and mode

vb_load_modules dummy_hcd libcomposite usb_f_fs || exit 1
# The EEPROM's write cycle is 0, so writes can follow each other at once
# and (a) times the transfer, not the EEPROM.
gadget_start --model ft232h --serial "$SERIAL" --eeprom-write-ms 0 --counters "$COUNTERS" || exit 1
plug || { vb_fail "bind to $(vb_udc)"; exit 1; }
ftdi_present() {
    for d in /sys/bus/usb/devices/*; do
        [ "$(cat "$d/idVendor" 2>/dev/null):$(cat "$d/idProduct" 2>/dev/null)" = 0403:6014 ] &&
            { vb_result usb_device "${d##*/} $(cat "$d/speed") Mbit/s"; return 0; }
    done
    return 1
}
vb_wait 10 ftdi_present || { vb_fail "the FT232H did not enumerate"; exit 1; }
vb_result kernel_release "$(uname -r)"
vb_result ms_per_op "$MS_PER_OP"

t0=$(vb_uptime)
timeout 240 compare_ftdi --serial "$SERIAL" --counters "$COUNTERS" --ms-per-op "$MS_PER_OP"
vb_result compare_ftdi_rc "$?"
vb_result compare_seconds "$(awk -v a="$t0" -v b="$(vb_uptime)" 'BEGIN { printf "%.1f", b - a }')"
gadget_stop
exit 0
