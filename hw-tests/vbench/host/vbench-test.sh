#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The virtual bench as a test: installs what is missing, fetches the kernel,
# builds the initramfs around the given gadget program, boots the VM with a
# scenario and has host/check-<scenario>.sh judge the console log.
# usage: vbench-test.sh --gadget PATH --work DIR --scenario NAME [--speed high|full]
#                       [--chip cp2112|ft232h]
# --chip becomes vbench.chip on the guest's command line (scenarios that
# serve either chip read it) and the check's third argument.
# Exit: 0 pass, 1 fail (the console log is printed), 77 cannot run here.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
GUEST=$HERE/../guest
GADGET= WORK= SCENARIO= SPEED=high CHIP=
while [ $# -gt 0 ]; do
    case $1 in
        --gadget) GADGET=$2; shift 2 ;;
        --work) WORK=$2; shift 2 ;;
        --scenario) SCENARIO=$2; shift 2 ;;
        --speed) SPEED=$2; shift 2 ;;
        --chip) CHIP=$2; shift 2 ;;
        *) echo "vbench-test.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
[ -n "$GADGET" ] && [ -n "$WORK" ] && [ -n "$SCENARIO" ] || { echo "vbench-test.sh: missing arguments" >&2; exit 2; }
[ -x "$GADGET" ] || { echo "vbench: gadget program $GADGET not built" >&2; exit 1; }
# Guest watchdog, then the host's hard limit on qemu a little later.
GUEST_LIMIT=${VBENCH_GUEST_LIMIT:-420}
HOST_LIMIT=$((GUEST_LIMIT + 60))

"$HERE/install-deps.sh" || exit $?
kinfo=$("$HERE/fetch-kernel.sh" "$WORK/cache") || exit 1
KV=$(echo "$kinfo" | sed -n 's/.*KV=\([^ ]*\).*/\1/p')
KROOT=$(echo "$kinfo" | sed -n 's/.*KROOT=\([^ ]*\).*/\1/p')
OUT=$WORK/$SCENARIO${CHIP:+-$CHIP}-$SPEED
mkdir -p "$OUT"
"$HERE/build-initramfs.sh" "$OUT" "$KROOT" "$KV" "$GUEST" "$GADGET" || exit 1
KERNEL=$KROOT/boot/vmlinuz-$KV
ACCEL=$("$HERE/choose-accel.sh" "$WORK/cache" "$KERNEL" "$OUT/initramfs.cpio" "$KV")

LOG=$OUT/console.log
echo "vbench: booting $KV under $ACCEL, scenario $SCENARIO${CHIP:+ on the $CHIP}, $SPEED speed (console: $LOG)"
start=$(date +%s.%N)
"$HERE/run-vm.sh" "$KERNEL" "$OUT/initramfs.cpio" "$LOG" "$HOST_LIMIT" "$ACCEL" \
    "vbench.scenario=$SCENARIO vbench.speed=$SPEED vbench.limit=$GUEST_LIMIT${CHIP:+ vbench.chip=$CHIP}${VBENCH_CMDLINE:+ $VBENCH_CMDLINE}"
qemu_rc=$?
wall=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
echo "vbench: qemu exit $qemu_rc after $wall s wall ($ACCEL)"
grep -E '^VBENCH: init reached|^VBENCH-DONE' "$LOG" 2>/dev/null

# The checks that record timings say what they ran under.
VBENCH_ACCEL_USED=$ACCEL
export VBENCH_ACCEL_USED
if "$HERE/check-$SCENARIO.sh" "$LOG" "$SPEED" "${CHIP:-cp2112}" && [ "$qemu_rc" = 0 ]; then
    echo "vbench: $SCENARIO passed"
    exit 0
fi
[ "$qemu_rc" = 124 ] && echo "vbench: qemu killed after $HOST_LIMIT s"
echo "vbench: $SCENARIO FAILED; console log follows"
echo "=================== console ==================="
cat "$LOG" 2>/dev/null
exit 1
