# SPDX-License-Identifier: Apache-2.0
# The kernel's hid-cp2112 and usbio side by side on the same CP2112 model,
# one stack at a time: GPIO set/get, a 2-byte write + 32-byte read, 4 KiB
# EEPROM reads (compare_kernel / compare_usbio bench), in rounds that
# alternate kernel, usbio, kernel, usbio, ... so that a change in what the
# host machine is doing meanwhile falls on both alike; the samples of all
# rounds are summarised per stack at the end. Then an unplug in the middle
# of a 4 KiB read (... unplug), kernel first. The programs report
# VBENCH-RESULT compare.<stack>.<key> lines; host/check-compare_cp2112.sh
# judges them and makes the table.
#
# EEPROM contents: in round 1 the kernel writes image 1 and reads it back;
# usbio checks image 1 (what the kernel wrote), writes image 2 and reads it
# back; from round 2 on both read image 2 (the kernel: what usbio wrote),
# and after both unplugs the kernel checks it once more.
. /vbench/lib.sh

SERIAL=VBENCH0001
ROUNDS=3
BUDGET_MS=1000  # per operation, stack and round
CTL=/tmp/gadget.ctl
COUNTERS=/tmp/gadget.counters
UNPLUG_ARGS="--control $CTL --gadget-log /tmp/gadget.log --udc $GADGET_DIR/UDC"

if [ "$(vb_cmdline vbench.speed)" = full ]; then
    modprobe dummy_hcd is_high_speed=0 || { vb_fail "modprobe dummy_hcd"; exit 1; }
fi
vb_load_modules dummy_hcd libcomposite usb_f_fs usbhid hid-cp2112 i2c-dev || exit 1
# GPIO 0 is wired to GPIO 1. The EEPROM's write cycle is the 5 ms of a
# real 24C32.
# The gadget counts the transfers it serves in $COUNTERS; both stacks' bench
# runs read them to report transfers per operation. The chip is device
# version 3, whose Auto Send Read has no erratum (CP2112_E101), so a stack
# may use it; hid-cp2112 asks the version only for repeated START (> 1).
# vbench.device_version on the command line (VBENCH_CMDLINE) serves another.
DEVICE_VERSION=$(vb_cmdline vbench.device_version)
DEVICE_VERSION=${DEVICE_VERSION:-3}
gadget_start --model cp2112 --serial "$SERIAL" --jumper 0:1 --eeprom-write-ms 5 \
    --device-version "$DEVICE_VERSION" --control "$CTL" --counters "$COUNTERS" || exit 1
plug || { vb_fail "bind to $(vb_udc)"; exit 1; }

compare_bus() { # the i2c bus number of hid-cp2112's adapter
    for a in /sys/class/i2c-adapter/i2c-*; do
        grep -q CP2112 "$a/name" 2>/dev/null && { echo "${a##*i2c-}"; return 0; }
    done
    return 1
}
compare_chip() { # its gpiochip
    gpiodetect 2>/dev/null | awk '/cp2112/ { print $1; found = 1; exit } END { exit !found }'
}
compare_probed() { # BUS and CHIP once hid-cp2112 has both
    BUS=$(compare_bus) && CHIP=$(compare_chip) && [ -e "/dev/i2c-$BUS" ] && [ -e "/dev/$CHIP" ]
}
compare_wait_kernel() {
    vb_wait 30 compare_probed || { vb_fail "hid-cp2112 did not bind ($1)"; return 1; }
}
compare_logged_version() { # the device version hid-cp2112 logged at probe, in decimal
    v=$(dmesg | sed -n 's/.*Part Number: 0x0C Device Version: 0x\([0-9A-Fa-f][0-9A-Fa-f]\).*/\1/p' | tail -1)
    [ -n "$v" ] && echo "$((0x$v))"
}
compare_no_device() {
    for d in /sys/bus/usb/devices/*; do
        [ "$(cat "$d/idVendor" 2>/dev/null):$(cat "$d/idProduct" 2>/dev/null)" = 10c4:ea90 ] && return 1
    done
    return 0
}

# Runs a compare program bounded in time; its exit status goes on record as
# compare_<stack>_<mode>_rc, and what the kernel logged meanwhile as
# VBENCH-COMPARE-DMESG <stack>-<mode> lines. A kernel bench run that ended
# with failed calls (exit 1) is a finding the table records (the host's
# check judges its results), not a failure of the bench; any other exit (a
# hang killed by timeout, a crash) is.
compare_run() { # STACK MODE SECONDS PROGRAM ARGS...
    stack=$1 mode=$2 limit=$3
    shift 3
    before=$(dmesg | wc -l)
    timeout "$limit" "$@"
    rc=$?
    vb_result "compare_${stack}_${mode}_rc" "$rc"
    case $stack:$mode:$rc in
        *:*:0) ;;
        kernel:bench*:1 | kernel:summary:1) echo "vbench: the kernel's $mode run had failed calls (see its results)" ;;
        *) vb_fail "$* exited $rc" ;;
    esac
    dmesg | tail -n +"$((before + 1))" | sed "s/^/VBENCH-COMPARE-DMESG $stack-$mode /"
    return "$rc"
}

# After an unplug run: the device is gone; release the held OUT endpoint,
# re-plug, and let hid-cp2112 bind again.
compare_replug() {
    gadget_ctl hold-out 0
    vb_wait 10 compare_no_device || vb_fail "the device is still there after the unplug ($1)"
    plug || { vb_fail "re-plug after $1"; return 1; }
    compare_wait_kernel "re-plug after $1"
}

compare_wait_kernel "first plug" || exit 1
for d in /sys/bus/usb/devices/*; do
    [ "$(cat "$d/idVendor" 2>/dev/null):$(cat "$d/idProduct" 2>/dev/null)" = 10c4:ea90 ] &&
        vb_result compare_usb_device "$(cat "$d/speed") Mbit/s, serial $(cat "$d/serial")"
done
vb_result compare_kernel_release "$(uname -r)"
vb_result compare_gadget_device_version "$DEVICE_VERSION"
vb_result compare_device_version "$(compare_logged_version)"
vb_result compare_order "kernel, usbio, alternating for $ROUNDS rounds (one stack at a time); unplug: kernel, then usbio"
vb_result compare_rounds "$ROUNDS"
vb_result compare_budget_ms "$BUDGET_MS"

round=1
while [ "$round" -le "$ROUNDS" ]; do
    if [ "$round" = 1 ]; then
        kseed="--write-seed 1" useed="--verify-seed 1 --write-seed 2"
    else
        kseed="--verify-seed 2" useed="--verify-seed 2"
    fi
    # hid-cp2112 binds anew after each usbio run: the bus number may change.
    compare_wait_kernel "round $round" || exit 1
    KI="--i2c /dev/i2c-$BUS --gpiochip /dev/$CHIP"
    # shellcheck disable=SC2086
    compare_run kernel "bench$round" 180 compare_kernel bench $KI $kseed --budget-ms "$BUDGET_MS" \
        --round "$round" --samples /tmp/samples.kernel --counters "$COUNTERS"
    krc=$?
    if [ "$round" = 1 ] && [ "$krc" != 0 ]; then
        # The kernel's first round had failed calls, perhaps inside its
        # EEPROM write: what it left there is unknown, so usbio writes its
        # image without checking the kernel's.
        useed="--write-seed 2"
        vb_result compare_usbio_r1_before "not checked: the kernel's round 1 had failed calls"
    fi
    # usbio claims the interface (detaching usbhid, and with it
    # hid-cp2112, from it) for as long as it runs; released, the interface
    # goes back to the kernel's driver.
    # shellcheck disable=SC2086
    compare_run usbio "bench$round" 180 compare_usbio bench --serial "$SERIAL" $useed --budget-ms "$BUDGET_MS" \
        --round "$round" --samples /tmp/samples.usbio --counters "$COUNTERS"
    if vb_wait 10 compare_probed; then
        vb_result "compare_usbio_release_r$round" "hid-cp2112 bound again after usbio exited"
    else
        vb_result "compare_usbio_release_r$round" "hid-cp2112 not bound 10 s after usbio exited"
    fi
    round=$((round + 1))
done
compare_run kernel summary 30 compare_kernel summary --samples /tmp/samples.kernel
compare_run usbio summary 30 compare_usbio summary --samples /tmp/samples.usbio

compare_wait_kernel "before the unplugs" || exit 1
KI="--i2c /dev/i2c-$BUS --gpiochip /dev/$CHIP"
# shellcheck disable=SC2086
compare_run kernel unplug 60 compare_kernel unplug $KI --seed 2 $UNPLUG_ARGS
compare_replug "the kernel's unplug" || exit 1

# shellcheck disable=SC2086
compare_run usbio unplug 60 compare_usbio unplug --serial "$SERIAL" --seed 2 $UNPLUG_ARGS
compare_replug "usbio's unplug" || exit 1

# The EEPROM outlived both unplugs (the model is the hardware; only the
# link went away).
KI="--i2c /dev/i2c-$BUS --gpiochip /dev/$CHIP"
# shellcheck disable=SC2086
compare_run kernel verify 60 compare_kernel verify $KI --seed 2

gadget_stop
# The gadget's own view: events, holds, errors (every control request is
# logged too; those thousands stay out of the console).
vb_result compare_gadget_setup_cancelled "$(grep -c 'previous SETUP cancelled' /tmp/gadget.log)"
grep -v ' SETUP ' /tmp/gadget.log | sed 's/^/GADGET| /'
bad=$(dmesg | grep -cE 'Oops|BUG:|WARNING:|general protection|Call Trace|cut here')
vb_result compare_kernel_errors "$bad"
[ "$bad" = 0 ] || dmesg | grep -E -A20 'Oops|BUG:|WARNING:|cut here' | sed 's/^/VBENCH-KERNEL-ERROR /'
exit 0
