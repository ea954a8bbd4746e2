#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The bash completion loads, knows every command of 'usbio --help', and
# completes options and adapter names as a user types them.
#   check_completion.sh USBIO COMPLETION
set -uo pipefail
usbio=$1 script=$2
here=$(dirname "$0")
fail=0

spec=$(bash -c 'source "$1" && complete -p usbio' _ "$script") || { echo "FAIL: sourcing $script"; exit 1; }
[ "$spec" = "complete -F _usbio usbio" ] || { echo "FAIL: complete -p usbio says '$spec'"; fail=1; }

# What the completion offers for the words typed (the last one is the word
# being completed).
offer() {
    bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _usbio
             printf "%s\n" "${COMPREPLY[@]}"' _ "$script" "$usbio" "$@" </dev/null
}
expect() {  # expect WANTED WORDS...: WANTED is among the offers
    local wanted=$1
    shift
    local offered
    offered=$(offer "$@")
    grep -qxF -- "$wanted" <<<"$offered" || { echo "FAIL: 'usbio $*' does not offer '$wanted'"; fail=1; }
}

while IFS= read -r cmd; do
    set -- $cmd
    if [ $# -eq 1 ]; then
        expect "$1" ""
    else
        expect "$2" "$1" ""
    fi
done < <("$here/help_commands.sh" "$usbio")
expect --sim-state --sim-
expect cp2112 --sim ""
expect --active-low gpio get --
expect --yes i2c get --
expect --ack-check i2c transfer --
expect each_byte i2c get --ack-check ""
expect 1 --no-usb --sim cp2112,cp2112 i2c get -y ""
expect SIM0002 --no-usb --sim cp2112,cp2112 gpio info ""
[ -z "$(offer --no-usb --sim cp2112 list "")" ] || { echo "FAIL: 'usbio list' takes no adapter"; fail=1; }
[ "$fail" -eq 0 ] && echo "the completion knows every command and completes options and adapters"
exit "$fail"
