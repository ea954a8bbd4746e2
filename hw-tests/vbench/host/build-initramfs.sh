#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Assembles the bench's initramfs: busybox, the kernel modules the bench needs
# with their dependencies, the project's programs and the host tools the
# guest scenarios run (i2c-tools, libgpiod), each with the shared libraries
# it loads, and the guest scripts.
# usage: build-initramfs.sh OUT_DIR KROOT KV GUEST_DIR PROGRAM...
# writes OUT_DIR/initramfs.cpio (uncompressed: unpacking is faster than
# inflating under emulation, and the file never leaves this machine).
set -eu
OUT=$1 KROOT=$2 KV=$3 GUEST=$4
shift 4
# More programs for /bin from the environment (space-separated paths), for
# scenarios that need more than the gadget.
# shellcheck disable=SC2086
set -- "$@" ${VBENCH_PROGRAMS:-}
R=$OUT/root
MODULES="configfs dummy_hcd libcomposite usb_f_fs usbhid hid-cp2112 i2c-dev usbserial ftdi_sio at24"
TOOLS="/usr/sbin/i2ctransfer /usr/sbin/i2cget /usr/sbin/i2cset /usr/sbin/i2cdetect
       /usr/bin/gpiodetect /usr/bin/gpioinfo /usr/bin/gpioget /usr/bin/gpioset"

rm -rf "$R"
mkdir -p "$R/bin" "$R/lib" "$R/lib64" "$R/usr" "$R/proc" "$R/sys" "$R/dev" "$R/tmp" \
         "$R/run" "$R/etc" "$R/lib/modules/$KV"
ln -s bin "$R/sbin"
ln -s ../bin "$R/usr/bin"
ln -s ../bin "$R/usr/sbin"
mkdir -p "$R/usr/lib"

# busybox-static: no libraries needed; one link per applet.
cp /bin/busybox "$R/bin/busybox"
for applet in $(/bin/busybox --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$R/bin/$applet"
done

# Modules: the dependency closure from the depmod'ed tree, then depmod again
# over the subset so modprobe in the guest resolves the same way.
for m in $MODULES; do
    modprobe -d "$KROOT" -S "$KV" --show-depends "$m" || {
        echo "vbench: module $m not in $KROOT for $KV" >&2
        exit 1
    }
done | awk '$1 == "insmod" { print $2 }' | sort -u | while read -r ko; do
    rel=${ko#"$KROOT"/}
    mkdir -p "$R/$(dirname "$rel")"
    cp "$ko" "$R/$rel"
done
cp "$KROOT/lib/modules/$KV"/modules.order "$KROOT/lib/modules/$KV"/modules.builtin* \
   "$R/lib/modules/$KV/"
depmod -b "$R" "$KV"

# Programs and the libraries they load, copied to the paths ldd reports so
# the dynamic loader finds them where it looks by default.
# A library from the build tree (libusbio) also goes to /usr/lib: the
# guest mounts its own /tmp and the like over the build tree's path.
copy_libs() {
    ldd "$1" 2>/dev/null | grep -o '/[^ ]*' | while read -r lib; do
        [ -e "$R$lib" ] && continue
        mkdir -p "$R$(dirname "$lib")"
        cp -L "$lib" "$R$lib"
        case $lib in
            /lib/* | /lib64/* | /usr/lib/* | /usr/lib64/*) ;;
            *) mkdir -p "$R/usr/lib" && cp -L "$lib" "$R/usr/lib/" ;;
        esac
    done
}
# The Debian tools go to /usr/local/bin, apart from busybox's applets of the
# same names (see guest/lib.sh); the project's programs go to /bin.
mkdir -p "$R/usr/local/bin"
for p in $TOOLS; do
    [ -x "$p" ] || { echo "vbench: program $p missing" >&2; exit 1; }
    cp "$p" "$R/usr/local/bin/"
    copy_libs "$p"
done
for p in "$@"; do
    [ -x "$p" ] || { echo "vbench: program $p missing" >&2; exit 1; }
    cp "$p" "$R/bin/"
    copy_libs "$p"
done

cp "$GUEST/init" "$R/init"
chmod 755 "$R/init"
mkdir -p "$R/vbench"
cp "$GUEST"/*.sh "$R/vbench/"

(cd "$R" && find . | cpio -o -H newc --quiet) > "$OUT/initramfs.cpio.tmp"
mv "$OUT/initramfs.cpio.tmp" "$OUT/initramfs.cpio"
echo "vbench: initramfs $(du -sh "$OUT/initramfs.cpio" | cut -f1) ($(find "$R" -name '*.ko' | wc -l) modules)" >&2
