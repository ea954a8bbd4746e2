#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs the README's command examples: every fenced ```sh block right after a
# "<!-- test: runs on --sim -->" line, as a bash script (set -e) in a fresh
# directory, with `usbio` being the built command without real adapters
# (--no-usb). Fails naming the README line of a block that fails.
#   run_readme_examples.sh USBIO README WORK_DIR
set -uo pipefail
usbio=$(realpath "$1") readme=$2 work=$3
rm -rf "$work"
mkdir -p "$work"

# Each block to WORK_DIR/block-LINE.sh (LINE: the README line of its ```sh).
awk -v dir="$work" '
    /^<!-- test: runs on --sim -->$/ { marked = NR; next }
    marked && NR == marked + 1 && /^```sh$/ { out = dir "/block-" NR ".sh"; printf "" > out; next }
    out && /^```$/ { close(out); out = ""; marked = 0; next }
    out { print >> out; next }
    { marked = 0 }
' "$readme"

blocks=0 fail=0
for block in $(ls "$work"/block-*.sh 2>/dev/null | sort -t- -k2 -n); do
    blocks=$((blocks + 1))
    line=${block##*/block-}
    line=${line%.sh}
    grep -q '^usbio ' "$block" || { echo "FAIL: README line $line: a marked block without a usbio command"; fail=1; }
    mkdir -p "$work/run-$line"
    if ! out=$(cd "$work/run-$line" && USBIO="$usbio" bash -c '
            set -eu
            usbio() { "$USBIO" --no-usb "$@"; }
            source "$1"' _ "$block" </dev/null 2>&1); then
        echo "FAIL: README block at line $line:"
        echo "$out"
        fail=1
    fi
done
[ "$blocks" -gt 0 ] || { echo "FAIL: no marked example blocks in $readme"; exit 1; }
[ "$fail" -eq 0 ] && echo "all $blocks marked README blocks ran"
exit "$fail"
