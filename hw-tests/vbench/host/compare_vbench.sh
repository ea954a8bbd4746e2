#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Runs a comparison scenario (compare_cp2112, the default: compare_kernel
# and compare_usbio side by side; compare_ftdi: compare_ftdi's ACK-check
# modes): puts the programs (without debug information: the initramfs lives
# in the VM's memory) into the initramfs through VBENCH_PROGRAMS, tells
# check-<scenario>.sh where to save the table, and hands over to
# vbench-test.sh.
# usage: compare_vbench.sh [--scenario NAME] --gadget PATH --work DIR --table FILE [--speed S] -- PROGRAM...
# Exit: as vbench-test.sh (0 pass, 1 fail, 77 cannot run here).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
GADGET='' WORK='' TABLE='' SPEED=high SCENARIO=compare_cp2112
while [ $# -gt 0 ]; do
    case $1 in
        --) shift; break ;;
        --gadget) GADGET=$2; shift 2 ;;
        --work) WORK=$2; shift 2 ;;
        --table) TABLE=$2; shift 2 ;;
        --speed) SPEED=$2; shift 2 ;;
        --scenario) SCENARIO=$2; shift 2 ;;
        *) echo "compare_vbench.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
[ -n "$GADGET" ] && [ -n "$WORK" ] && [ -n "$TABLE" ] && [ $# -gt 0 ] ||
    { echo "compare_vbench.sh: missing arguments" >&2; exit 2; }

BIN=$WORK/programs-$SCENARIO
rm -rf "$BIN"
mkdir -p "$BIN"
programs=""
for p in "$@"; do
    [ -x "$p" ] || { echo "vbench: program $p not built" >&2; exit 1; }
    objcopy --strip-debug "$p" "$BIN/$(basename "$p")" || exit 1
    programs="$programs $BIN/$(basename "$p")"
done
VBENCH_PROGRAMS="${VBENCH_PROGRAMS:-}$programs"
VBENCH_COMPARE_TABLE=$TABLE
# The timings depend on what else the host runs: recorded with the table.
VBENCH_COMPARE_LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
export VBENCH_PROGRAMS VBENCH_COMPARE_TABLE VBENCH_COMPARE_LOAD_BEFORE
rm -f "$TABLE"
exec "$HERE/vbench-test.sh" --gadget "$GADGET" --work "$WORK" --scenario "$SCENARIO" --speed "$SPEED"
