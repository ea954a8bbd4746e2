#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Installs the Debian packages the virtual bench is built from, if missing.
# apt-get update runs only when a package is missing and apt cannot find it,
# because a stale or absent package list is the usual reason for that.
set -eu

PACKAGES="qemu-system-x86 busybox-static kmod cpio i2c-tools gpiod udev"

missing=""
for p in $PACKAGES; do
    dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
        missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
    echo "vbench: missing packages:$missing (need root to install)" >&2
    exit 77
fi

export DEBIAN_FRONTEND=noninteractive
# A package apt has no candidate for means the list is stale or absent.
for p in $missing; do
    if ! apt-cache policy "$p" 2>/dev/null | grep -q 'Candidate: [0-9]'; then
        timeout 600 apt-get update -q
        break
    fi
done
echo "vbench: installing$missing" >&2
# shellcheck disable=SC2086
timeout 900 apt-get install -y -q --no-install-recommends $missing
