#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Fetches and unpacks the kernel image package that Debian's linux-image-amd64
# currently depends on, into CACHE/kernel/<package>/, with a depmod'ed module
# tree. A second run finds it there and only prints where it is.
# usage: fetch-kernel.sh CACHE    prints: KV=<version> KROOT=<unpacked tree>
set -eu
CACHE=$1
mkdir -p "$CACHE/kernel"

resolve() {
    apt-cache depends linux-image-amd64 2>/dev/null |
        awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9]/ { print $2; exit }'
}
PKG=$(resolve)
if [ -z "$PKG" ]; then
    timeout 600 apt-get update -q >&2
    PKG=$(resolve)
fi
[ -n "$PKG" ] || { echo "vbench: cannot resolve linux-image-amd64's kernel package" >&2; exit 1; }
KV=${PKG#linux-image-}
KROOT=$CACHE/kernel/$PKG

if [ ! -e "$KROOT/.complete" ]; then
    rm -rf "$KROOT" "$KROOT.tmp" "$CACHE/kernel/dl"
    mkdir -p "$CACHE/kernel/dl"
    # apt-get download drops privileges to _apt when it can; a root-owned
    # build directory would then be unwritable for it, so download as root.
    (cd "$CACHE/kernel/dl" && timeout 900 apt-get download -q -o APT::Sandbox::User=root "$PKG" >&2)
    deb=$(ls "$CACHE/kernel/dl"/*.deb)
    dpkg -x "$deb" "$KROOT.tmp"
    depmod -b "$KROOT.tmp" "$KV"
    [ -e "$KROOT.tmp/boot/vmlinuz-$KV" ] || { echo "vbench: $deb has no vmlinuz-$KV" >&2; exit 1; }
    rm -rf "$CACHE/kernel/dl"
    mv "$KROOT.tmp" "$KROOT"
    touch "$KROOT/.complete"
fi
echo "KV=$KV KROOT=$KROOT"
