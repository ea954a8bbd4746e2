#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# usbio(1) renders without warnings, and every command and global option of
# 'usbio --help' has its place in it.
#   check_man_page.sh USBIO MANPAGE
set -uo pipefail
usbio=$1 page=$2
here=$(dirname "$0")
fail=0

if ! command -v groff >/dev/null; then
    echo "SKIP: no groff (Debian package groff-base)"
    exit 77
fi
warnings=$(groff -man -Tutf8 -ww -z "$page" 2>&1)
if [ -n "$warnings" ]; then
    echo "FAIL: groff warns:"
    echo "$warnings"
    fail=1
fi
if command -v man >/dev/null; then
    rendered=$(MANPAGER=cat MANWIDTH=80 man -l "$page" 2>&1) || { echo "FAIL: man -l $page"; fail=1; }
    grep -q "^NAME" <<<"$rendered" || { echo "FAIL: man -l shows no NAME section"; fail=1; }
fi

commands=$("$here/help_commands.sh" "$usbio")
[ -n "$commands" ] || { echo "FAIL: no commands in 'usbio --help'"; exit 1; }
while IFS= read -r cmd; do
    grep -qE "^\.SS usbio $cmd( |\$)" "$page" || { echo "FAIL: no '.SS usbio $cmd' section"; fail=1; }
done <<<"$commands"
# Global options, as the page writes them (\- for each dash).
source=$(sed 's/\\-/-/g' "$page")
for opt in $("$usbio" --help | awk '/^Global options:/ { on = 1; next } on' | grep -oE -- '--[a-z0-9-]+' | sort -u); do
    grep -qF -- "$opt" <<<"$source" || { echo "FAIL: global option $opt is not in the page"; fail=1; }
done
[ "$fail" -eq 0 ] && echo "usbio(1) renders cleanly and names all $(wc -l <<<"$commands") commands"
exit "$fail"
