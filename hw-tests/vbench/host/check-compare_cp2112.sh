#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Judges the console log of guest/compare_cp2112.sh and writes the
# comparison as a markdown table to $VBENCH_COMPARE_TABLE (default: next to
# the log, compare-cp2112.md), which it also prints.
# usage: check-compare_cp2112.sh CONSOLE_LOG high|full     exit 0 when all hold
set -u
LOG=$1
SPEED=$2
TABLE=${VBENCH_COMPARE_TABLE:-$(dirname "$LOG")/compare-cp2112.md}
. "$(dirname "$0")/check-lib.sh"
# How long usbio may take from the unplug to returning ENODEV before it
# counts as hanging: its own bounds are a 1 s OUT timeout and a 500 ms
# unplug check, so anything near this is a defect.
USBIO_RETURN_LIMIT_MS=3000

field() { # SUMMARY KEY: one key=value of a measurement summary
    echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -1
}
ms() { # microseconds -> milliseconds, 2 decimals
    [ -n "$1" ] && awk -v u="$1" 'BEGIN { printf "%.2f", u / 1000 }'
}
ratio() {
    [ -n "$1" ] && [ -n "$2" ] && awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b }'
}
dmesg_of() { # PHASE: the kernel's lines during that run, joined for a cell
    sed -n "s/^VBENCH-COMPARE-DMESG $1 //p" "$LOG" | tr -d '\r' | sed 's/^\[ *[0-9.]*\] //; s/|/\\|/g' |
        awk 'NR > 1 { printf "<br>" } { printf "%s", $0 } END { if (NR == 0) printf "(nothing)" }'
}
cell() { printf '%s' "$1" | sed 's/|/\\|/g'; }
label() { # OPERATION: its row's name
    case $1 in
        gpio_set) echo "GPIO set (line 0)" ;;
        gpio_get) echo "GPIO get (line 1)" ;;
        i2c_w2_r32) echo "I2C write 2 + read 32 (repeated START)" ;;
        eeprom_4k_read) echo "EEPROM 4 KiB read" ;;
    esac
}
transfers() { # STACK OPERATION: transfers per call, counted by the gadget in round 1
    field "$(result "compare.$1.r1.transfers.$2")" per_op
}
first_error() { # SUMMARY: the message of its first failure (the summary ends in runs=N), or "-"
    case $1 in *first_error=*) echo "${1#*first_error=}" | sed 's/ runs=[0-9]*$//' ;; *) echo "-" ;; esac
}

# --- the table
{
    echo "# CP2112: the kernel's hid-cp2112 and usbio side by side"
    echo
    echo "Virtual USB bench (QEMU, dummy_hcd, usbio_ffs_gadget serving the CP2112 model (device version $(result compare_device_version))),"
    echo "Linux $(result compare_kernel_release), device at $(result compare_usb_device)."
    echo "Order: $(result compare_order). Each operation runs for $(result compare_budget_ms) ms"
    echo "per stack and round (at least 10 times, at most 5000, never longer than 3x that) after 2"
    echo "unmeasured calls; the figures below pool the samples of all rounds."
    echo
    echo "- kernel: $(result compare.kernel.r1.stack)"
    echo "- usbio: $(result compare.usbio.r1.stack)"
    echo "- EEPROM 4 KiB read chunking: kernel $(result compare.kernel.r1.chunking); usbio $(result compare.usbio.r1.chunking)"
    echo
    echo "| Operation | kernel median ms | p90 | min | ops/s | reps | transfers/op | usbio median ms | p90 | min | ops/s | reps | transfers/op | usbio/kernel median | min |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    for op in gpio_set gpio_get i2c_w2_r32 eeprom_4k_read; do
        k=$(result "compare.kernel.$op")
        u=$(result "compare.usbio.$op")
        printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$(label "$op")" \
            "$(ms "$(field "$k" median_us)")" "$(ms "$(field "$k" p90_us)")" "$(ms "$(field "$k" min_us)")" \
            "$(field "$k" ops_s)" "$(field "$k" reps)" "$(transfers kernel "$op")" \
            "$(ms "$(field "$u" median_us)")" "$(ms "$(field "$u" p90_us)")" "$(ms "$(field "$u" min_us)")" \
            "$(field "$u" ops_s)" "$(field "$u" reps)" "$(transfers usbio "$op")" \
            "$(ratio "$(field "$u" median_us)" "$(field "$k" median_us)")" \
            "$(ratio "$(field "$u" min_us)" "$(field "$k" min_us)")"
    done
    kw=$(result compare.kernel.r1.eeprom_4k_write)
    uw=$(result compare.usbio.r1.eeprom_4k_write)
    printf '| EEPROM 4 KiB write (once: 128 pages + ACK polling) | %s | | | | 1 | %s | %s | | | | 1 | %s | %s | |\n' \
        "$(field "$kw" ms)" "$(transfers kernel eeprom_4k_write)" "$(field "$uw" ms)" \
        "$(transfers usbio eeprom_4k_write)" "$(ratio "$(field "$uw" ms)" "$(field "$kw" ms)")"
    echo
    echo "Transfers per operation: USB transfers the gadget served (control requests + interrupt OUT"
    echo "packets + interrupt IN packets) for 20 calls (3 of the 4 KiB read) after the timed runs of round"
    echo "1, divided by the calls; the write's count includes its ACK polls (busy polls: kernel"
    echo "$(field "$(result compare.kernel.r1.transfers.eeprom_4k_write)" busy_polls), usbio $(field "$(result compare.usbio.r1.transfers.eeprom_4k_write)" busy_polls)), so it moves with timing."
    echo
    echo "Failed calls (they count in the timings; the kernel's are findings, usbio's fail the bench):"
    echo
    echo "| Operation | kernel failed calls | kernel first error | usbio failed calls | usbio first error |"
    echo "|---|---:|---|---:|---|"
    for op in gpio_set gpio_get i2c_w2_r32 eeprom_4k_read; do
        k=$(result "compare.kernel.$op")
        u=$(result "compare.usbio.$op")
        printf '| %s | %s | %s | %s | %s |\n' "$(label "$op")" "$(field "$k" failures)" "$(cell "$(first_error "$k")")" \
            "$(field "$u" failures)" "$(cell "$(first_error "$u")")"
    done
    echo
    echo "The transfers of the kernel's hid-cp2112: GPIO set = 1 control SET_REPORT 0x04; GPIO get ="
    echo "1 control GET_REPORT 0x03; write 2 + read N = interrupt OUT 0x11, OUT 0x15 / IN 0x16 per"
    echo "status poll (one here: the model finishes at once), then OUT 0x12 / IN 0x13 per 61 bytes."
    echo "The model adds no bus time; the differences in time are the"
    echo "host stacks'. Host load average (1/5/15 min) before the VM: ${VBENCH_COMPARE_LOAD_BEFORE:-?};"
    echo "after: $(cut -d' ' -f1-3 /proc/loadavg). Timing under emulation on a shared host is noisy:"
    echo "the min column is the least disturbed figure."
    echo
    echo "Median per round, ms, in the order they ran:"
    echo
    rounds=$(result compare_rounds)
    head="| Operation |" rule="|---|"
    r=1
    while [ "$r" -le "${rounds:-0}" ]; do
        head="$head kernel r$r | usbio r$r |" rule="$rule---:|---:|"
        r=$((r + 1))
    done
    echo "$head"
    echo "$rule"
    for op in gpio_set gpio_get i2c_w2_r32 eeprom_4k_read; do
        line="| $op |"
        r=1
        while [ "$r" -le "${rounds:-0}" ]; do
            for stack in kernel usbio; do
                line="$line $(ms "$(field "$(result "compare.$stack.r$r.$op")" median_us)") |"
            done
            r=$((r + 1))
        done
        echo "$line"
    done
    echo
    echo "EEPROM contents: kernel wrote image 1: $(result compare.kernel.r1.eeprom_written);"
    echo "usbio read the kernel's image: $(result compare.usbio.r1.eeprom_before); usbio wrote image 2:"
    echo "$(result compare.usbio.r1.eeprom_written); the kernel read usbio's image: $(result compare.kernel.r2.eeprom_before),"
    echo "and after both unplugs: $(result compare.kernel.eeprom_verify)."
    echo "Busy polls while writing: kernel $(field "$kw" busy_polls), usbio $(field "$uw" busy_polls)."
    echo "GPIO jumper 0->1 (round 1): kernel $(result compare.kernel.r1.gpio_jumper), usbio $(result compare.usbio.r1.gpio_jumper)."
    echo "After usbio released the interface (round 1): $(result compare_usbio_release_r1)."
    echo
    echo "## Unplug in the middle of a 4 KiB read"
    echo
    echo "$(result compare.kernel.unplug_plan): the gadget is told to hold its OUT endpoint and,"
    echo "once it holds a packet (the host's next output report waits), is unbound from its UDC."
    echo "The call in flight then fails; times are from the start of the UDC write."
    echo
    echo "| | kernel | usbio |"
    echo "|---|---|---|"
    row() { # LABEL KEY
        printf '| %s | %s | %s |\n' "$1" "$(cell "$(result "compare.kernel.$2")")" "$(cell "$(result "compare.usbio.$2")")"
    }
    row "failing call" unplug_at
    row "returned" unplug_errno
    row "message" unplug_error
    row "unplug to return (ms)" unplug_return_ms
    row "failing call ran (ms)" unplug_call_ms
    row "UDC unbind write took (ms)" unplug_unbind_write_ms
    row "hold-out to held (ms)" unplug_hold_to_held_ms
    row "chunks read before" unplug_chunks_before
    row "next read" unplug_next_call
    row "GPIO get after" unplug_gpio_after
    printf '| after | %s | %s |\n' "$(cell "$(result compare.kernel.unplug_devnode)")" \
        "$(cell "$(result compare.usbio.unplug_device_state)")"
    printf '| kernel log during the run | %s | %s |\n' "$(dmesg_of kernel-unplug)" "$(dmesg_of usbio-unplug)"
    echo
    echo "Kernel log while usbio ran its measurements in round 1 (claim and release of the interface):"
    echo "$(dmesg_of usbio-bench1)"
    echo
    echo "Oops/BUG/WARNING lines in the whole run: $(result compare_kernel_errors). SETUPs the gadget saw"
    echo "cancelled (FunctionFS EIDRM, handled): $(result compare_gadget_setup_cancelled)."
} > "$TABLE"
echo "vbench: comparison table ($TABLE):"
cat "$TABLE"
echo

# --- the checks
check_guest_finished
case $SPEED in full) MBITS=12 ;; *) MBITS=480 ;; esac
expect compare_usb_device "$MBITS Mbit/s, serial VBENCH0001"
# The version hid-cp2112 read from the chip is the one the gadget was given.
asked=$(result compare_gadget_device_version)
[ -n "$asked" ] || bad "the guest did not say which device version the gadget serves"
expect compare_device_version "$asked"
rounds=$(result compare_rounds)
[ -n "$rounds" ] && [ "$rounds" -ge 1 ] || { bad "no rounds on record"; rounds=0; }
# Failed calls of the kernel's stack are findings (in the table); wrong data
# from either stack, a failed usbio call, or a run that did not finish are
# failures.
for stack in kernel usbio; do
    case $stack in kernel) rcs="0|1" ;; *) rcs="0" ;; esac
    r=1
    while [ "$r" -le "$rounds" ]; do
        expect_match "compare_${stack}_bench${r}_rc" "^($rcs)\$"
        expect "compare.$stack.r$r.gpio_jumper" ok
        r=$((r + 1))
    done
    expect_match "compare_${stack}_summary_rc" "^($rcs)\$"
    expect "compare_${stack}_unplug_rc" 0
    for op in gpio_set gpio_get i2c_w2_r32 eeprom_4k_read; do
        s=$(result "compare.$stack.$op")
        reps=$(field "$s" reps)
        failed=$(field "$s" failures)
        # A kernel round that failed early (in its EEPROM write) timed
        # nothing: its runs and reps may fall short, as a finding.
        minreps=10 runs=$rounds
        [ "$stack" = kernel ] && failed=0 minreps=1 runs=$(field "$s" runs)
        if [ -n "$reps" ] && [ "$reps" -ge "$minreps" ] && [ "$failed" = 0 ] &&
            [ "$(field "$s" mismatches)" = 0 ] && [ -n "$runs" ] && [ "$(field "$s" runs)" = "$runs" ]; then
            ok "$stack $op: $reps reps in $rounds rounds, data all correct, $(field "$s" failures) failed calls"
        else
            bad "$stack $op: '$s'"
        fi
    done
done
r=1
while [ "$r" -le "$rounds" ]; do
    expect "compare_usbio_release_r$r" "hid-cp2112 bound again after usbio exited"
    r=$((r + 1))
done
# The kernel's EEPROM checks: wrong data fails the bench; a failed call
# (a timeout on a loaded host) is a finding, shown as such.
kernel_eeprom() { # KEY EXPECTED
    v=$(result "$1")
    case $v in
    "$2") ok "$1: $v" ;;
    *": mismatch"* | *": size "*) bad "$1: '$v' (wrong data)" ;;
    *) ok "$1: '${v:-not reached}' (finding: the kernel's stack failed)" ;;
    esac
}
expect_match compare_kernel_verify_rc "^(0|1)\$"
kernel_eeprom compare.kernel.r1.eeprom_written "seed 1: ok"
# When the kernel's first round failed (perhaps inside its EEPROM write),
# usbio did not check what it left there.
skipped=$(result compare_usbio_r1_before)
if [ -n "$skipped" ]; then ok "usbio r1 eeprom_before: $skipped"; else expect compare.usbio.r1.eeprom_before "seed 1: ok"; fi
expect compare.usbio.r1.eeprom_written "seed 2: ok"
r=2
while [ "$r" -le "$rounds" ]; do
    kernel_eeprom "compare.kernel.r$r.eeprom_before" "seed 2: ok"
    expect "compare.usbio.r$r.eeprom_before" "seed 2: ok"
    r=$((r + 1))
done
kernel_eeprom compare.kernel.eeprom_verify "seed 2: ok"
# The kernel's unplug is on record; usbio's must be ENODEV, promptly.
k=$(result compare.kernel.unplug_errno)
if [ -n "$k" ] && [ "$k" != none ]; then ok "kernel unplug: $k"; else bad "kernel unplug: no failing call ('$k')"; fi
expect compare.usbio.unplug_errno_num 19
t=$(result compare.usbio.unplug_return_ms)
if [ -n "$t" ] && awk -v t="$t" -v l="$USBIO_RETURN_LIMIT_MS" 'BEGIN { exit !(t >= 0 && t < l) }'; then
    ok "usbio returned $t ms after the unplug"
else
    bad "usbio returned '$t' ms after the unplug (limit $USBIO_RETURN_LIMIT_MS)"
fi
expect_prefix() { # KEY PREFIX
    got=$(result "$1")
    case $got in "$2"*) ok "$1 = $got" ;; *) bad "$1 = '$got', expected '$2...'" ;; esac
}
expect_prefix compare.usbio.unplug_next_call "ENODEV"
expect_prefix compare.usbio.unplug_gpio_after "ENODEV"
expect_prefix compare.usbio.unplug_device_state "gone"
expect compare_kernel_errors 0
# Transfers per operation do not move with load: usbio issues no more than
# the kernel's driver for the same work.
for op in gpio_set gpio_get i2c_w2_r32 eeprom_4k_read; do
    kt=$(transfers kernel "$op") ut=$(transfers usbio "$op")
    if [ -n "$kt" ] && [ -n "$ut" ] && awk -v u="$ut" -v k="$kt" 'BEGIN { exit !(u <= k) }'; then
        ok "$op: usbio $ut transfers per call, kernel $kt"
    else
        bad "$op: usbio '$ut' transfers per call, kernel '$kt'"
    fi
done

check_verdict compare_cp2112
