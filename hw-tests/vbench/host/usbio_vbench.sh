#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Runs a bench scenario that needs the project's own programs in the VM
# (usbio_hw_tests, usbio_hw_discloop, usbio) and systemd-udevd, which libusb
# needs for hotplug events. Copies the programs without their debug
# information (the initramfs is unpacked into the VM's memory), then hands
# over to vbench-test.sh.
# usage: usbio_vbench.sh --gadget PATH --work DIR --scenario NAME [--speed S] -- PROGRAM...
# Exit: as vbench-test.sh (0 pass, 1 fail, 77 cannot run here).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
PASS=""
WORK=
SCENARIO=
while [ $# -gt 0 ]; do
    case $1 in
        --) shift; break ;;
        --work) WORK=$2; PASS="$PASS $1 $2"; shift 2 ;;
        --scenario) SCENARIO=$2; PASS="$PASS $1 $2"; shift 2 ;;
        *) PASS="$PASS $1 $2"; shift 2 ;;
    esac
done
[ -n "$WORK" ] && [ -n "$SCENARIO" ] || { echo "usbio_vbench.sh: missing --work or --scenario" >&2; exit 2; }

"$HERE/install-deps.sh" || exit $?
UDEVD=/lib/systemd/systemd-udevd
[ -x "$UDEVD" ] || { echo "vbench: $UDEVD missing (Debian package udev)" >&2; exit 1; }

BIN=$WORK/programs-$SCENARIO
rm -rf "$BIN"
mkdir -p "$BIN"
programs=""
for p in "$@"; do
    [ -x "$p" ] || { echo "vbench: program $p not built" >&2; exit 1; }
    objcopy --strip-debug "$p" "$BIN/$(basename "$p")" || exit 1
    programs="$programs $BIN/$(basename "$p")"
done
# udevd is udevadm under another name; the copy keeps the name it runs as.
cp -L "$UDEVD" "$BIN/systemd-udevd"
programs="$programs $BIN/systemd-udevd"

VBENCH_PROGRAMS=$programs
export VBENCH_PROGRAMS
# shellcheck disable=SC2086
exec "$HERE/vbench-test.sh" $PASS
