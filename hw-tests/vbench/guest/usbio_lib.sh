# SPDX-License-Identifier: Apache-2.0
# Setup shared by the scenarios that run the project's own programs on the
# bench (usbio_scenarios.sh, discloop.sh): sourced after lib.sh, so it
# starts nothing when run as a scenario of its own.
#
# The chip is the kernel command line's vbench.chip: cp2112 (default) or
# ft232h. Both models have a 24C32 EEPROM at 0x50 and an LM75 at 0x48; the
# gadget's jumpers wire GPIO line 0->1 and 2->3 (CP2112 GPIO.0..3, FT232H
# ADBUS3..6), the wiring hw-tests/README.md asks of a real bench. Unplug is
# unbinding the gadget from the UDC, as everywhere on this bench.

USBIO_CHIP=$(vb_cmdline vbench.chip)
USBIO_DEVICE_VERSION=$(vb_cmdline vbench.device_version)
USBIO_CHIP=${USBIO_CHIP:-cp2112}
case $USBIO_CHIP in
    ft232h)
        USBIO_SERIAL=VBENCHFT01
        USBIO_VIDPID=0403:6014
        USBIO_DRIVER=ftdi
        ;;
    *)
        USBIO_SERIAL=VBENCH0001
        USBIO_VIDPID=10c4:ea90
        USBIO_DRIVER=cp2112
        ;;
esac

usbio_device() { # the adapter's sysfs directory on the host side of dummy_hcd
    for d in /sys/bus/usb/devices/*; do
        [ "$(cat "$d/idVendor" 2>/dev/null):$(cat "$d/idProduct" 2>/dev/null)" = "$USBIO_VIDPID" ] && { echo "$d"; return 0; }
    done
    return 1
}
usbio_present() { usbio_device > /dev/null; }
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
    # ftdi_sio is loaded: it claims the FT232H as a serial port (ttyUSB),
    # as on a desktop, and usbio has to detach it.
    vb_load_modules dummy_hcd libcomposite usb_f_fs || return 1
    if [ "$USBIO_CHIP" = ft232h ]; then vb_load_modules usbserial ftdi_sio || return 1; fi
    usbio_start_udevd || return 1
    # vbench.device_version: the CP2112's (3 has usbio read by Auto Send Read).
    set -- ${USBIO_DEVICE_VERSION:+--device-version "$USBIO_DEVICE_VERSION"} "$@"
    gadget_start --model "$USBIO_CHIP" --serial "$USBIO_SERIAL" --jumper 0:1 --jumper 2:3 \
        --control /tmp/gadget.ctl "$@" || return 1
    plug || { vb_fail "bind to $(vb_udc)"; return 1; }
    vb_wait 10 usbio_present || { vb_fail "the $USBIO_CHIP did not enumerate"; return 1; }
    export USBIO_HW_UNPLUG_CMD="echo '' > $GADGET_DIR/UDC"
    export USBIO_HW_REPLUG_CMD="ls /sys/class/udc | head -1 > $GADGET_DIR/UDC"
    # Named, so required: the model always has it.
    export USBIO_HW_SENSOR_ADDR=0x48
    export USBIO_HW_GPIO_LOOPBACK=0:1,2:3
    if [ "$USBIO_CHIP" = ft232h ]; then
        export USBIO_HW_FTDI_SERIAL="$USBIO_SERIAL"
    else
        export USBIO_HW_CP2112_SERIAL="$USBIO_SERIAL"
        # FaultTest: the gadget sends malformed, late and stray reports
        # (CP2112 reports; FaultTest skips without it).
        export USBIO_HW_FAULT_CMD="/bin/sh /vbench/fault.sh"
        # The version usbio reads from the chip is the one asked for.
        if [ -n "$USBIO_DEVICE_VERSION" ]; then
            v=$(usbio config "$USBIO_SERIAL" chip.version 2>&1)
            vb_result usbio_chip_version "$v"
            [ "$v" = "$USBIO_DEVICE_VERSION" ] || { vb_fail "chip.version is '$v', not $USBIO_DEVICE_VERSION"; return 1; }
        fi
    fi
}

# The kernel driver bound to the adapter's interface 0 ("none" if none).
usbio_kernel_driver() {
    d=$(usbio_device) || { echo absent; return; }
    link=$(readlink "$d/${d##*/}:1.0/driver" 2>/dev/null) || { echo none; return; }
    echo "${link##*/}"
}
usbio_ftdi_sio_bound() { [ "$(usbio_kernel_driver)" = ftdi_sio ] && ls /dev/ttyUSB* > /dev/null 2>&1; }

usbio_bench_down() {
    gadget_stop
    bad=$(dmesg | grep -cE 'Oops|BUG:|WARNING:|general protection|Call Trace|cut here')
    vb_result kernel_errors "$bad"
    [ "$bad" = 0 ] || dmesg | grep -E -A20 'Oops|BUG:|WARNING:|cut here' | sed 's/^/VBENCH-KERNEL-ERROR /'
}
