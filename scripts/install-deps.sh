#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs the Debian bookworm packages usbio needs to build and test, if any
# are missing. Safe to run again; does nothing when all are present.
set -euo pipefail

packages=(
  g++ cmake make pkg-config
  libusb-1.0-0-dev libgpiod-dev libboost-program-options-dev nlohmann-json3-dev
  googletest libgtest-dev libgmock-dev
  libbenchmark-dev liburcu-dev
  clang-14 libfuzzer-14-dev
  gdb clang-format-14
  groff-base  # tests/docs renders the manual page (groff -man -ww)
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing: ${missing[*]}"
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
