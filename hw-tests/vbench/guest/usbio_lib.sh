# SPDX-License-Identifier: Apache-2.0
# Setup shared by the scenarios that run the project's own programs on the
# bench (usbio_scenarios.sh, discloop.sh): sourced after lib.sh, so it
# starts nothing when run as a scenario of its own.
#
# The CP2112 model behind the gadget has its 24C32 EEPROM at 0x50 and its
# LM75 at 0x48; the gadget's jumpers wire GPIO.0->GPIO.1 and GPIO.2->GPIO.3,
# the wiring hw-tests/README.md asks of a real bench. Unplug is unbinding
# the gadget from the UDC, as everywhere on this bench.

USBIO_SERIAL=VBENCH0001

usbio_present() { # is the CP2112 on the host side of dummy_hcd?
    for d in /sys/bus/usb/devices/*; do
        [ "$(cat "$d/idVendor" 2>/dev/null):$(cat "$d/idProduct" 2>/dev/null)" = 10c4:ea90 ] && return 0
    done
    return 1
}
usbio_absent() { ! usbio_present; }

# systemd-udevd passes the kernel's uevents on to libudev's listeners;
# without it libusb hears of no arrival, and of a departure only through a
# failing transfer. No rules are needed for that (and none load modules).
usbio_start_udevd() {
    mkdir -p /run/udev /etc/udev/rules.d
    systemd-udevd --daemon 2> /tmp/udevd.log || { vb_fail "systemd-udevd did not start"; return 1; }
    vb_wait 10 test -S /run/udev/control || { vb_fail "systemd-udevd made no control socket"; return 1; }
    vb_log "systemd-udevd running"
}

# Modules, udevd, the gadget with its fixtures, bound; waits for the device.
usbio_bench_up() {
    if [ "$(vb_cmdline vbench.speed)" = full ]; then
        modprobe dummy_hcd is_high_speed=0 || { vb_fail "modprobe dummy_hcd"; return 1; }
    fi
    # No hid-cp2112: the libusb transport is the only driver of the chip.
    vb_load_modules dummy_hcd libcomposite usb_f_fs || return 1
    usbio_start_udevd || return 1
    gadget_start --model cp2112 --serial "$USBIO_SERIAL" --jumper 0:1 --jumper 2:3 \
        --control /tmp/gadget.ctl || return 1
    plug || { vb_fail "bind to $(vb_udc)"; return 1; }
    vb_wait 10 usbio_present || { vb_fail "the CP2112 did not enumerate"; return 1; }
    export USBIO_HW_CP2112_SERIAL="$USBIO_SERIAL"
    export USBIO_HW_UNPLUG_CMD="echo '' > $GADGET_DIR/UDC"
    export USBIO_HW_REPLUG_CMD="ls /sys/class/udc | head -1 > $GADGET_DIR/UDC"
    # Named, so required: the model always has it.
    export USBIO_HW_SENSOR_ADDR=0x48
    # FaultTest: the gadget sends malformed, late and stray reports.
    export USBIO_HW_FAULT_CMD="/bin/sh /vbench/fault.sh"
    export USBIO_HW_GPIO_LOOPBACK=0:1,2:3
}

usbio_bench_down() {
    gadget_stop
    bad=$(dmesg | grep -cE 'Oops|BUG:|WARNING:|general protection|Call Trace|cut here')
    vb_result kernel_errors "$bad"
    [ "$bad" = 0 ] || dmesg | grep -E -A20 'Oops|BUG:|WARNING:|cut here' | sed 's/^/VBENCH-KERNEL-ERROR /'
}
