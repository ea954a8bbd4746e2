#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Judges the console log of guest/cp2112_kernel.sh: what the kernel's
# hid-cp2112 driver, i2c-tools and libgpiod saw of the CP2112 model.
# usage: check-cp2112_kernel.sh CONSOLE_LOG high|full     exit 0 when all hold
set -u
LOG=$1
case $2 in
    full) MBITS=12 ;;
    *) MBITS=480 ;;
esac
. "$(dirname "$0")/check-lib.sh"
check_guest_finished

expect usb_device "$MBITS Mbit/s, serial VBENCH0001"
expect_match probe 'cp2112 .*Part Number: 0x0C Device Version: 0x02'
expect_match i2c_adapter '^CP2112 SMBus Bridge on hidraw[0-9]+$'
expect_match gpiochip 'cp2112_gpio\] \(8 lines\)'
written=$(result eeprom_written)
[ "$(echo "$written" | wc -w)" = 32 ] || bad "no 32-byte pattern reported"
expect eeprom_write_rc 0
expect_match eeprom_read_tries '^([2-9]|[1-9][0-9]+)$'
expect_match eeprom_busy_error '^Error: Sending messages failed: '
expect eeprom_read "$written"
expect eeprom_read_0123 "0xde 0xad 0xbe 0xef"
expect eeprom_read_0023 "0xff 0xff 0xff 0xff"
expect lm75_word 0x0019
expect gpio_jumper_high 1
expect gpio_jumper_low 0
expect unbind_reader_in_ioctl yes
expect_match unbind_read_rc '^[1-9][0-9]*$'
expect_match unbind_error '^Error: Sending messages failed: '
expect i2c_after_unplug gone
expect gpio_after_unplug gone
expect devnode_after_unplug gone
expect eeprom_after_replug "$written"
expect gadget_exit 0
expect kernel_errors 0

check_verdict cp2112_kernel
