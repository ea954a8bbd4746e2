#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Judges the console log of guest/eeprom_at24.sh and writes the kernel's
# at24 against `usbio eeprom` as a markdown table to $VBENCH_COMPARE_TABLE
# (default: next to the log, compare-at24.md), which it also prints.
# usage: check-eeprom_at24.sh CONSOLE_LOG high|full     exit 0 when all hold
set -u
LOG=$1
SPEED=$2
TABLE=${VBENCH_COMPARE_TABLE:-$(dirname "$LOG")/compare-at24.md}
. "$(dirname "$0")/check-lib.sh"

cell() { # KEY: its value for a table cell, "-" when not reached
    v=$(result "$1")
    printf '%s' "${v:--}" | sed 's/|/\\|/g'
}
ratio() {
    a=$(result "$1") b=$(result "$2")
    [ -n "$a" ] && [ -n "$b" ] && awk -v a="$a" -v b="$b" 'BEGIN { if (b > 0) printf "%.2f", a / b }'
}
dmesg_of() { # TAG: what the kernel logged during that at24 copy, for a cell
    sed -n "s/^VBENCH-AT24-DMESG kernel-$1 //p" "$C" | sed 's/^\[ *[0-9.]*\] //; s/|/\\|/g' |
        awk 'NR > 1 { printf "<br>" } { printf "%s", $0 } END { if (NR == 0) printf "(nothing)" }'
}

{
    echo "# 24Cxx EEPROM: the kernel's at24 on hid-cp2112 and \`usbio eeprom\`"
    echo
    echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') by \`ctest -R vbench_eeprom_at24\`; this file is what"
    echo "host/check-eeprom_at24.sh wrote from that one VM run (hw-tests/vbench/compare-at24.md in the"
    echo "source tree is a copy). Virtual USB bench (QEMU, dummy_hcd at $SPEED speed, usbio_ffs_gadget"
    echo "serving the CP2112 model), Linux $(result at24_kernel_release); the model's EEPROM write cycle"
    echo "is 5 ms, as a real 24C32's. One stack at a time, in this order: kernel write + read, usbio"
    echo "read (of the kernel's image) + write + read, kernel read (of usbio's image)."
    echo
    echo "- kernel: at24 bound by \`echo 24c32 0x50 > .../i2c-N/new_device\` ($(cell at24.kernel.write_4k_device)),"
    echo "  copied with dd (bs=4096) to and from its \`eeprom\` file, timed by $(result at24_clock)."
    echo "  Bound that way at24 has no page size and writes byte by byte (4096 write cycles)."
    echo "- usbio: \`usbio eeprom write|read -t 24c32 VBENCH0001 0x50\` (detaches hid-cp2112 while it"
    echo "  runs), its own --json \`seconds\`: page writes of 32 bytes, each awaited by ACK polling."
    echo
    echo "| 4 KiB (24C32) | kernel at24 ms | usbio ms | usbio / kernel |"
    echo "|---|---:|---:|---:|"
    echo "| write | $(cell at24.kernel.write_4k_ms) | $(cell at24.usbio.write_4k_ms) | $(ratio at24.usbio.write_4k_ms at24.kernel.write_4k_ms) |"
    echo "| read | $(cell at24.kernel.read_4k_ms) | $(cell at24.usbio.read_4k_ms) | $(ratio at24.usbio.read_4k_ms at24.kernel.read_4k_ms) |"
    echo
    echo "| 64 KiB (24C512, gadget --eeprom-part 24c512) | kernel at24 ms | usbio ms |"
    echo "|---|---:|---:|"
    echo "| write | not run (byte by byte: 65536 write cycles) | $(cell at24.usbio.write_64k_ms) |"
    echo "| read | $(cell at24.kernel.read_usbio_64k_ms) | $(cell at24.usbio.read_64k_ms) |"
    echo
    echo "Data (cmp against the image written):"
    echo
    echo "| Check | result |"
    echo "|---|---|"
    echo "| kernel wrote image 1 (exit status) | $(cell at24.kernel.write_4k_rc) $(cell at24.kernel.write_4k_error) |"
    echo "| kernel read back image 1 | $(cell at24.kernel.read_4k_data) |"
    echo "| usbio read the kernel's image 1 | $(cell at24.usbio.read_kernel_4k_data) |"
    echo "| usbio read back its image 2 | $(cell at24.usbio.read_4k_data) |"
    echo "| kernel read usbio's image 2 | $(cell at24.kernel.read_usbio_4k_data) |"
    echo "| usbio read back its 64 KiB image 3 | $(cell at24.usbio.read_64k_data) |"
    echo "| kernel (at24 as 24c512) read usbio's image 3 | $(cell at24.kernel.read_usbio_64k_data) |"
    echo
    echo "Kernel log during the kernel's write: $(dmesg_of write_4k)."
    echo "Timing under emulation on a shared host is noisy (one sample each); host load average"
    echo "(1/5/15 min) after the VM: $(cut -d' ' -f1-3 /proc/loadavg)."
} > "$TABLE"
echo "vbench: comparison table ($TABLE):"
cat "$TABLE"
echo

check_guest_finished
# usbio: every copy succeeds with the right bytes.
for tag in read_kernel_4k write_4k read_4k write_64k read_64k; do
    expect "at24.usbio.${tag}_rc" 0
done
expect at24.usbio.read_4k_data ok
expect at24.usbio.read_64k_data ok
# The kernel: a failed copy (a timeout on a loaded host) is a finding;
# wrong data after a successful one fails, in either direction.
kernel_data() { # KEY: the data check of a kernel read that succeeded
    v=$(result "$1")
    case $v in
        ok) ok "$1: ok" ;;
        "") bad "$1: no data check after a successful copy" ;;
        *) bad "$1: '$v' (wrong data)" ;;
    esac
}
krc() { [ "$(result "at24.kernel.${1}_rc")" = 0 ]; }
if krc read_4k; then kernel_data at24.kernel.read_4k_data; else ok "kernel read_4k failed (finding)"; fi
if krc write_4k; then
    expect at24.usbio.read_kernel_4k_data ok
else
    ok "kernel write_4k failed (finding): usbio's read of it is not judged ($(result at24.usbio.read_kernel_4k_data))"
fi
if krc read_usbio_4k; then kernel_data at24.kernel.read_usbio_4k_data; else ok "kernel read_usbio_4k failed (finding)"; fi
if krc read_usbio_64k; then kernel_data at24.kernel.read_usbio_64k_data; else ok "kernel read_usbio_64k failed (finding)"; fi
expect kernel_errors 0

check_verdict eeprom_at24
