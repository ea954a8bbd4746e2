# SPDX-License-Identifier: Apache-2.0
# The kernel's at24 (bound through new_device on hid-cp2112's bus) and
# `usbio eeprom` on the same CP2112 model's EEPROM, one stack at a time:
#   24C32: the kernel writes and reads back a 4 KiB image; usbio reads the
#   kernel's image, writes and reads back another, and the kernel reads
#   usbio's image.
#   24C512 (the gadget restarted with --eeprom-part 24c512): usbio writes and
#   reads back a 64 KiB image, the kernel reads it. The kernel does not write
#   it: at24 bound through new_device has no page size and writes byte by
#   byte, 65536 write cycles.
# Reports VBENCH-RESULT at24.<stack>.<key> lines (times in ms);
# host/check-eeprom_at24.sh judges them and makes the table.
. /vbench/lib.sh
. /vbench/usbio_lib.sh

SERIAL=VBENCH0001
KLIMIT=60  # seconds for one kernel transfer; a longer one is a finding

now_ms() { # wall clock in ms (busybox date without %N: /proc/uptime, 10 ms)
    t=$(date +%s%N)
    case $t in
        *N) awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime ;;
        *) echo $((t / 1000000)) ;;
    esac
}
at24_bus() { # the i2c bus number of hid-cp2112's adapter
    for a in /sys/class/i2c-adapter/i2c-*; do
        grep -q CP2112 "$a/name" 2>/dev/null && { echo "${a##*i2c-}"; return 0; }
    done
    return 1
}
at24_wait_kernel() { # sets BUS once hid-cp2112 has bound
    vb_wait 30 at24_bus > /dev/null || { vb_fail "hid-cp2112 did not bind ($1)"; return 1; }
    BUS=$(at24_bus)
}
# GOT against WANT: "ok", "mismatch: <cmp's first difference>" or
# "size N of M".
same_bytes() { # GOT WANT
    got=$(wc -c < "$1") want=$(wc -c < "$2")
    if [ "$got" != "$want" ]; then
        echo "size $got of $want"
    elif cmp -s "$1" "$2"; then
        echo ok
    else
        echo "mismatch: $(cmp "$1" "$2" 2>&1 | head -1)"
    fi
}

# The kernel's at24 at 0x50 as TYPE, a copy in or out timed; the device is
# deleted again afterwards. Results: at24.kernel.<TAG>_ms, _rc, _data.
kernel_copy() { # TYPE TAG write|read FILE [EXPECTED]
    type=$1 tag=$2 dir=$3 file=$4
    at24_wait_kernel "$tag" || return 1
    dev=/sys/bus/i2c/devices/$BUS-0050
    echo "$type 0x50" > "/sys/bus/i2c/devices/i2c-$BUS/new_device" || { vb_fail "new_device $type on i2c-$BUS"; return 1; }
    vb_wait 10 test -e "$dev/eeprom" || { vb_fail "at24 did not bind at $BUS-0050"; return 1; }
    vb_result "at24.kernel.${tag}_device" "$(cat "$dev/name") on i2c-$BUS, $(wc -c < "$dev/eeprom") bytes"
    before=$(dmesg | wc -l)
    t0=$(now_ms)
    if [ "$dir" = write ]; then
        timeout "$KLIMIT" dd if="$file" of="$dev/eeprom" bs=4096 2> "/tmp/k.$tag.err"
    else
        timeout "$KLIMIT" dd if="$dev/eeprom" of="$file" bs=4096 2> "/tmp/k.$tag.err"
    fi
    rc=$?
    t1=$(now_ms)
    vb_result "at24.kernel.${tag}_ms" "$((t1 - t0))"
    vb_result "at24.kernel.${tag}_rc" "$rc"
    [ "$rc" = 0 ] || vb_result "at24.kernel.${tag}_error" "$(grep -v records "/tmp/k.$tag.err" | head -1)"
    dmesg | tail -n +"$((before + 1))" | head -5 | sed "s/^/VBENCH-AT24-DMESG kernel-$tag /"
    echo 0x50 > "/sys/bus/i2c/devices/i2c-$BUS/delete_device" || vb_fail "delete_device on i2c-$BUS"
    if [ "$dir" = read ] && [ -n "${5:-}" ]; then vb_result "at24.kernel.${tag}_data" "$(same_bytes "$file" "$5")"; fi
    return "$rc"
}

# `usbio eeprom` timed by its own --json summary (seconds). Results:
# at24.usbio.<TAG>_ms, _rc, _data.
usbio_copy() { # TYPE TAG write|read FILE [EXPECTED]
    type=$1 tag=$2 dir=$3 file=$4
    if [ "$dir" = write ]; then io="-i $file"; else io="-o $file"; fi
    # shellcheck disable=SC2086
    timeout 60 usbio --json eeprom "$dir" -t "$type" "$SERIAL" 0x50 $io > "/tmp/u.$tag.json" 2> "/tmp/u.$tag.err"
    rc=$?
    vb_result "at24.usbio.${tag}_rc" "$rc"
    if [ "$rc" = 0 ]; then
        s=$(sed -n 's/.*"seconds": *\([0-9.eE+-]*\).*/\1/p' "/tmp/u.$tag.json")
        vb_result "at24.usbio.${tag}_ms" "$(awk -v s="$s" 'BEGIN { printf "%d", s * 1000 }')"
    else
        vb_fail "usbio eeprom $dir $tag exited $rc: $(head -c 300 "/tmp/u.$tag.err")"
    fi
    if [ "$dir" = read ] && [ -n "${5:-}" ]; then vb_result "at24.usbio.${tag}_data" "$(same_bytes "$file" "$5")"; fi
    return "$rc"
}

vb_load_modules dummy_hcd libcomposite usb_f_fs usbhid hid-cp2112 i2c-dev at24 || exit 1
usbio_start_udevd || exit 1
head -c 4096 /dev/urandom > /tmp/img1
head -c 4096 /dev/urandom > /tmp/img2
head -c 65536 /dev/urandom > /tmp/img3
vb_result at24_kernel_release "$(uname -r)"
vb_result at24_clock "$(case $(date +%s%N) in *N) echo '/proc/uptime (10 ms)' ;; *) echo 'date +%s%N' ;; esac)"

# --- 24C32, the model's own part, with a real 24C32's 5 ms write cycle.
gadget_start --model cp2112 --serial "$SERIAL" --eeprom-write-ms 5 || exit 1
plug || { vb_fail "bind to $(vb_udc)"; exit 1; }
kernel_copy 24c32 write_4k write /tmp/img1
kernel_copy 24c32 read_4k read /tmp/k1.out /tmp/img1
# usbio claims the interface (hid-cp2112 goes) and releases it on exit.
usbio_copy 24c32 read_kernel_4k read /tmp/u1.out /tmp/img1
usbio_copy 24c32 write_4k write /tmp/img2
usbio_copy 24c32 read_4k read /tmp/u2.out /tmp/img2
kernel_copy 24c32 read_usbio_4k read /tmp/k2.out /tmp/img2
gadget_stop

# --- 24C512: 64 KiB through usbio, read back by both stacks.
gadget_start --model cp2112 --serial "$SERIAL" --eeprom-write-ms 5 --eeprom-part 24c512 || exit 1
plug || { vb_fail "bind to $(vb_udc)"; exit 1; }
vb_wait 10 usbio_present || { vb_fail "the 24C512 bench did not enumerate"; exit 1; }
usbio_copy 24c512 write_64k write /tmp/img3
usbio_copy 24c512 read_64k read /tmp/u3.out /tmp/img3
kernel_copy 24c512 read_usbio_64k read /tmp/k3.out /tmp/img3
usbio_bench_down
exit 0
