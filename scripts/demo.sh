#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The main job on a fresh machine: install what is missing, build, and drive
# adapters with the usbio command. With no hardware attached it uses a
# simulated CP2112 carrying a 24C32 EEPROM (0x50) and an LM75 sensor (0x48).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake --preset default >/dev/null
cmake --build --preset default --target usbio_cli

usbio=build/default/cli/usbio
adapter=(--sim cp2112)

run() { echo "\$ usbio $*"; "$usbio" "$@"; echo; }

run "${adapter[@]}" list
run "${adapter[@]}" gpio info 0
run "${adapter[@]}" gpio set 0 3=1
run "${adapter[@]}" i2c detect -y 0
run "${adapter[@]}" i2c get -y 0 0x48 0x00 w
run "${adapter[@]}" i2c transfer -y 0 w2@0x50 0x00 0x00 r16
