#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Judges the console log of guest/discloop.sh: usbio_hw_discloop's unplug
# and re-plug cycles of the chip model with calls in flight.
# usage: check-discloop.sh CONSOLE_LOG high|full [cp2112|ft232h]    exit 0 when all hold
# DISCLOOP_MIN_CYCLES (default 20; 8 on the FT232H, whose loop is shorter):
# fewer cycles than this in the time allowed is a failure too (the loop
# stops early on a hang or a lost adapter).
set -u
LOG=$1
CHIP=${3:-cp2112}
if [ "$CHIP" = ft232h ]; then MIN_CYCLES=${DISCLOOP_MIN_CYCLES:-8}; else MIN_CYCLES=${DISCLOOP_MIN_CYCLES:-20}; fi
. "$(dirname "$0")/check-lib.sh"
dl() { sed -n "s/^DISCLOOP-RESULT $1=//p" "$C" | tail -1; }

check_guest_finished
grep '^DISCLOOP-FAIL' "$C" | head -20 | sed 's/^/  /'

expect discloop_rc 0
cycles=$(dl cycles)
[ -n "$cycles" ] && [ "$cycles" -ge "$MIN_CYCLES" ] && ok "cycles = $cycles" || bad "cycles = '$cycles', expected at least $MIN_CYCLES"
for k in failures hangs reopen_failures; do
    [ "$(dl $k)" = 0 ] && ok "$k = 0" || bad "$k = '$(dl $k)'"
done
[ "$(dl verdict)" = pass ] && ok "verdict = pass" || bad "verdict = '$(dl verdict)'"
# VmRSS growth is bounded by the program itself (--max-rss-growth-kb);
# descriptors must not leak at all.
grep '^DISCLOOP-RESULT rss_kb' "$C" | sed 's/^DISCLOOP-RESULT /  info /'
grep '^DISCLOOP-RESULT fds' "$C" | sed 's/^DISCLOOP-RESULT /  info /'
grep '^DISCLOOP-RESULT threads' "$C" | sed 's/^DISCLOOP-RESULT /  info /'
grep -E '^DISCLOOP-RESULT (unplug_to_enodev|removed_event|replug_to_arrival|seconds)' "$C" | sed 's/^DISCLOOP-RESULT /  info /'
echo "  info guest wall time of the loop: $(result discloop_wall_seconds) s"
expect gadget_exit 0
expect kernel_errors 0

check_verdict "discloop ($CHIP)"
