#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Judges the console log of guest/compare_ftdi.sh and writes its table to
# $VBENCH_COMPARE_TABLE (default: next to the log, compare-ftdi.md), which it
# also prints. Holds the targets: at_end is exactly one USB round trip for
# the 32-byte write and for the write + read, and at least 5x faster than
# each_byte on the 32-byte write (median against median).
# usage: check-compare_ftdi.sh CONSOLE_LOG high|full [CHIP]     exit 0 when all hold
set -u
LOG=$1
TABLE=${VBENCH_COMPARE_TABLE:-$(dirname "$LOG")/compare-ftdi.md}
. "$(dirname "$0")/check-lib.sh"
check_guest_finished

field() { # SUMMARY KEY: one key=value of a measurement summary
    echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -1
}
ms() { # microseconds -> milliseconds, 2 decimals
    [ -n "$1" ] && awk -v u="$1" 'BEGIN { printf "%.2f", u / 1000 }'
}
timing() { result "compare.ftdi.$1.$2.timing"; }
trips() { result "compare.ftdi.$1.$2.round_trips"; }
label() {
    case $1 in
        write32) echo "(a) 32-byte write (word address + 30 data bytes)" ;;
        write2_read256) echo "(b) 2-byte write + repeated START + 256-byte read" ;;
        eeprom_read4k) echo "(c) 4 KiB EEPROM read (24C32 at 0x50)" ;;
    esac
}
ratio() { # A B: A / B, 1 decimal
    awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f", a / b; else printf "?" }'
}

{
    echo "# FT232H: I2C ACK-check modes, at_end against each_byte"
    echo
    echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') by \`ctest -R vbench_compare_ftdi\`; this file is"
    echo "what host/check-compare_ftdi.sh wrote from that one VM run (hw-tests/vbench/compare-ftdi.md"
    echo "in the source tree is a copy)."
    echo
    echo "Virtual USB bench (QEMU, accelerator ${VBENCH_ACCEL_USED:-?}, dummy_hcd at"
    echo "high speed, usbio_ffs_gadget serving the FT232H model), Linux $(result kernel_release), device"
    echo "$(result usb_device); $(result compare.ftdi.adapter)."
    echo "Made by hw-tests/vbench/host/compare_vbench.sh --scenario compare_ftdi: guest/compare_ftdi.sh"
    echo "running hw-tests/compare/compare_ftdi."
    echo
    echo "Round trips are the OUT transfers the gadget served (\`--counters\`: a short packet ends one)"
    echo "over 3 calls, per call. Times: each operation in each mode repeated for $(result ms_per_op) ms"
    echo "(at least 5 calls) after 2 unmeasured ones; median and min over those calls (N)."
    echo "each_byte is one round trip per byte written (the way pyftdi drives an MPSSE); at_end"
    echo "sends the whole transfer as one command stream and checks the ACK bits in its reply."
    echo
    echo "| Transfer | at_end round trips | at_end median ms | min ms | N | each_byte round trips | each_byte median ms | min ms | N | each_byte / at_end (median) |"
    echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
    for op in write32 write2_read256 eeprom_read4k; do
        a=$(timing at_end $op) e=$(timing each_byte $op)
        echo "| $(label $op) | $(trips at_end $op) | $(ms "$(field "$a" median_us)") | $(ms "$(field "$a" min_us)") | $(field "$a" reps) | $(trips each_byte $op) | $(ms "$(field "$e" median_us)") | $(ms "$(field "$e" min_us)") | $(field "$e" reps) | $(ratio "$(field "$e" median_us)" "$(field "$a" median_us)")x |"
    done
    echo
    echo "Host load average (1/5/15 min) before the VM: ${VBENCH_COMPARE_LOAD_BEFORE:-?}; after:"
    echo "$(cut -d' ' -f1-3 /proc/loadavg). Timing under emulation on a shared host is noisy; the"
    echo "round trips are exact."
} > "$TABLE"
echo "vbench: comparison table ($TABLE):"
cat "$TABLE"

expect compare_ftdi_rc 0
for mode in at_end each_byte; do
    for op in write32 write2_read256 eeprom_read4k; do
        f=$(field "$(timing $mode $op)" failures)
        [ "$f" = 0 ] && ok "$mode $op: no failed call" || bad "$mode $op: failures '$f'"
    done
done
# The targets.
expect compare.ftdi.at_end.write32.round_trips 1.00
expect compare.ftdi.at_end.write2_read256.round_trips 1.00
a=$(field "$(timing at_end write32)" median_us)
e=$(field "$(timing each_byte write32)" median_us)
if [ -n "$a" ] && [ -n "$e" ] && awk -v a="$a" -v e="$e" 'BEGIN { exit !(a > 0 && e >= 5 * a) }'; then
    ok "32-byte write: each_byte median $(ms "$e") ms >= 5 x at_end median $(ms "$a") ms"
else
    bad "32-byte write: each_byte median '$e' us is not 5 x at_end median '$a' us"
fi
echo "  info compare_ftdi took $(result compare_seconds) s in the guest"

check_verdict compare_ftdi
