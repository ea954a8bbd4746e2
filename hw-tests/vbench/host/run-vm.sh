#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Boots the bench VM once, bounded, with its console going to a file.
# usage: run-vm.sh KERNEL INITRD CONSOLE_LOG TIMEOUT_S ACCEL "KERNEL ARGS"
# ACCEL is tcg or kvm. Exit status: qemu's, or 124 when the timeout hit.
set -u
KERNEL=$1 INITRD=$2 LOG=$3 LIMIT=$4 ACCEL=$5 ARGS=$6
case $ACCEL in
    kvm) accel="-accel kvm -cpu host" ;;
    tcg) accel="-accel tcg -cpu max" ;;
    *) echo "run-vm.sh: accel must be kvm or tcg" >&2; exit 2 ;;
esac
rm -f "$LOG"
# -nodefaults: no NIC (and no option ROM to load), no VGA; the one serial
# port is the console. panic=-1 with -no-reboot turns a panic into an exit.
# shellcheck disable=SC2086
timeout --kill-after=5 "$LIMIT" qemu-system-x86_64 $accel -m 512 -smp 2 \
    -nodefaults -no-user-config -display none -no-reboot \
    -serial "file:$LOG" -kernel "$KERNEL" -initrd "$INITRD" \
    -append "console=ttyS0 loglevel=4 panic=-1 $ARGS" < /dev/null
