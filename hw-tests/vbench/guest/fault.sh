# SPDX-License-Identifier: Apache-2.0
# The fault command of usbio_hw_tests' FaultTest on this bench
# (USBIO_HW_FAULT_CMD): tells the running gadget to misbehave and returns
# once it has. See gadget/commands.hpp for the commands.
#   fault.sh COMMAND...   sends the command, waits for the gadget's "ok"
#   fault.sh wait-strays  waits until the host has taken every stray report
#   fault.sh wait-late    waits until every late report has gone
. /vbench/lib.sh
LOG=/tmp/gadget.log
count() { grep -cF -- "$1" "$LOG"; }
at_least() { [ "$(count "$1")" -ge "$2" ]; }

case $1 in
    wait-strays)
        want=$(grep -cE 'control: stray .* -> ok' "$LOG")
        vb_wait 20 at_least 'stray reports all sent' "$want" || { echo "stray reports not all sent" >&2; exit 1; } ;;
    wait-late)
        want=$(grep -cE 'control: late .* -> ok' "$LOG")
        vb_wait 20 at_least 'late report sent' "$want" || { echo "late report not sent" >&2; exit 1; } ;;
    *)
        line="control: $* -> "
        before=$(count "$line")
        gadget_ctl "$*" || { echo "no gadget control FIFO" >&2; exit 1; }
        vb_wait 10 at_least "$line" $((before + 1)) || { echo "the gadget did not take '$*'" >&2; exit 1; }
        grep -F -- "$line" "$LOG" | tail -1 | grep -q -- '-> ok$' || { grep -F -- "$line" "$LOG" | tail -1 >&2; exit 1; } ;;
esac
