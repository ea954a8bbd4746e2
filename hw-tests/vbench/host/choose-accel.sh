#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Prints kvm or tcg. /dev/kvm can exist on a host whose KVM cannot run this
# kernel (it stalls in the decompressor), so KVM is used only after a short
# boot under it reached /init. The verdict is kept per host boot and kernel.
# usage: choose-accel.sh CACHE KERNEL INITRD KV     (VBENCH_ACCEL overrides)
set -u
CACHE=$1 KERNEL=$2 INITRD=$3 KV=$4
HERE=$(cd "$(dirname "$0")" && pwd)
case ${VBENCH_ACCEL:-auto} in
    kvm|tcg) echo "$VBENCH_ACCEL"; exit 0 ;;
esac
if [ ! -r /dev/kvm ] || [ ! -w /dev/kvm ]; then
    echo tcg
    exit 0
fi
key=$CACHE/accel.$(cat /proc/sys/kernel/random/boot_id).$KV
if [ ! -s "$key" ]; then
    start=$(date +%s.%N)
    "$HERE/run-vm.sh" "$KERNEL" "$INITRD" "$CACHE/kvm-probe.log" 20 kvm \
        "vbench.scenario=boot" > /dev/null 2>&1
    if grep -q 'VBENCH-RESULT boot=ok' "$CACHE/kvm-probe.log" 2>/dev/null; then
        echo kvm > "$key"
    else
        echo tcg > "$key"
    fi
    echo "vbench: KVM probe: $(cat "$key") after $(awk -v a="$start" -v b="$(date +%s.%N)" \
        'BEGIN { printf "%.1f", b - a }') s" >&2
fi
cat "$key"
