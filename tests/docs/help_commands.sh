#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Prints the commands 'usbio --help' lists, one a line ("list", "gpio get").
#   help_commands.sh USBIO
set -euo pipefail
"$1" --help | awk '/^Commands:/ { on = 1; next } on && /^$/ { on = 0 } on { sub(/^  +/, ""); sub(/  .*/, ""); print }'
