# SPDX-License-Identifier: Apache-2.0
# The kernel's own hid-cp2112 driver against the project's CP2112 model:
# probe, I2C to the model's 24C32 EEPROM (0x50) and LM75 (0x48) through
# i2c-tools, GPIO through libgpiod's tools, then an unplug in the middle of a
# read and a replug. Reports VBENCH-RESULT lines; the host judges them.
. /vbench/lib.sh

# vbench.speed=full makes dummy_hcd a full-speed controller, the speed the
# real chip runs at; by default it is high speed.
if [ "$(vb_cmdline vbench.speed)" = full ]; then
    modprobe dummy_hcd is_high_speed=0 || { vb_fail "modprobe dummy_hcd"; exit 1; }
fi
vb_load_modules dummy_hcd libcomposite usb_f_fs usbhid hid-cp2112 i2c-dev || exit 1

# Pin 0 is wired to pin 1, so a level set on one is read back on the other.
# The EEPROM's write cycle is stretched to 300 ms so that reading right after
# a write meets the busy (NACKing) chip even in a slow VM.
gadget_start --model cp2112 --serial VBENCH0001 --jumper 0:1 --eeprom-write-ms 300 \
    --control /tmp/gadget.ctl || exit 1
t0=$(vb_uptime)
plug || { vb_fail "bind to $(vb_udc)"; exit 1; }

# The adapter's name is "CP2112 SMBus Bridge on hidrawN".
cp2112_bus() {
    for a in /sys/class/i2c-adapter/i2c-*; do
        grep -q CP2112 "$a/name" 2>/dev/null && { echo "${a##*i2c-}"; return 0; }
    done
    return 1
}
cp2112_chip() { gpiodetect 2>/dev/null | awk '/cp2112/ { print $1; exit }'; }
has_chip() { [ -n "$(cp2112_chip)" ]; }
no_adapter() { ! cp2112_bus > /dev/null; }
no_chip() { ! has_chip; }

wait_probed() {
    vb_wait 30 cp2112_bus > /dev/null || { vb_fail "no CP2112 i2c adapter"; return 1; }
    vb_wait 10 has_chip || { vb_fail "no cp2112 gpiochip"; return 1; }
    BUS=$(cp2112_bus)
    CHIP=$(cp2112_chip)
}
wait_probed || exit 1
vb_log "probed $(awk -v t0="$t0" '{ printf "%.2f", $1 - t0 }' /proc/uptime) s after bind: i2c-$BUS, $CHIP"
for d in /sys/bus/usb/devices/*; do
    [ "$(cat "$d/idVendor" 2>/dev/null):$(cat "$d/idProduct" 2>/dev/null)" = 10c4:ea90 ] &&
        vb_result usb_device "$(cat "$d/speed") Mbit/s, serial $(cat "$d/serial")"
done
vb_result tools "$(i2ctransfer -V 2>&1 | head -1); $(gpioset --version | head -1)"
vb_result probe "$(dmesg | grep 'Part Number' | tail -1 | sed 's/^\[[^]]*\] //')"
vb_result i2c_adapter "$(cat /sys/class/i2c-adapter/i2c-$BUS/name)"
vb_result gpiochip "$(gpiodetect | grep cp2112)"

# --- EEPROM: one 32-byte page write at 0x0000, read back once the write
# cycle is over (the chip NACKs its address until then).
PATTERN=""
i=0
while [ $i -lt 32 ]; do
    PATTERN="$PATTERN $(printf '0x%02x' $(( (i * 37 + 0x5a) & 0xff )))"
    i=$((i + 1))
done
PATTERN=${PATTERN# }
vb_result eeprom_written "$PATTERN"
i2ctransfer -y "$BUS" w34@0x50 0x00 0x00 $PATTERN 2> /tmp/err
rc=$?
vb_result eeprom_write_rc "$rc$([ -s /tmp/err ] && echo " $(cat /tmp/err)")"
first_err=
read_page() {
    i2ctransfer -y "$BUS" w2@0x50 0x00 0x00 r32 > /tmp/page 2> /tmp/err && return 0
    [ -n "$first_err" ] || first_err=$(cat /tmp/err)
    return 1
}
vb_wait 5 read_page
vb_result eeprom_read_tries "$TRIES"
vb_result eeprom_busy_error "$first_err"
vb_result eeprom_read "$(cat /tmp/page)"

# Two-byte addressing: 0x0123 and 0x0023 differ only in the high byte.
i2ctransfer -y "$BUS" w6@0x50 0x01 0x23 0xde 0xad 0xbe 0xef
read_0123() { i2ctransfer -y "$BUS" w2@0x50 0x01 0x23 r4 > /tmp/w 2> /tmp/err; }
vb_wait 5 read_0123
vb_result eeprom_read_0123 "$(cat /tmp/w)"
vb_result eeprom_read_0023 "$(i2ctransfer -y "$BUS" w2@0x50 0x00 0x23 r4 2>&1)"

# --- LM75: temperature register as an SMBus word. SMBus words are
# little-endian and the LM75 sends its MSB first, so 25.0 degC (0x19 0x00)
# reads as 0x0019.
vb_result lm75_word "$(i2cget -y "$BUS" 0x48 0x00 w 2>&1)"

# --- GPIO: gpioset drives pin 0 (push-pull output), gpioget reads pin 1
# (made an input), which the jumper ties to pin 0.
gpioset "$CHIP" 0=1
vb_result gpio_jumper_high "$(gpioget "$CHIP" 1 2>&1)"
gpioset "$CHIP" 0=0
vb_result gpio_jumper_low "$(gpioget "$CHIP" 1 2>&1)"
vb_result gpioinfo "$(gpioinfo "$CHIP" | tr '\t\n' ' |' | tr -s ' ')"

# --- Unplug in the middle of a read. The gadget is told to hold its OUT
# endpoint: the read request still reaches the chip, the driver's next
# report (its status poll) then waits on the link, so the read is certainly
# in progress, inside the I2C_RDWR ioctl (0x0707, syscall 16 in
# /proc/PID/syscall), when the cable goes.
in_rdwr() { # PID
    read -r line < "/proc/$1/syscall" 2>/dev/null || return 1
    case $line in "16 "*" 0x707 "*) return 0 ;; esac
    return 1
}
held() { grep -q 'OUT 0x01 held' /tmp/gadget.log; }
reader_gone() { ! kill -0 "$reader" 2>/dev/null; }
gadget_ctl hold-out 1
# By path: $! must be the reader itself, not a subshell running it.
/usr/local/bin/i2ctransfer -y "$BUS" w2@0x50 0x00 0x00 r32 > /tmp/read.out 2> /tmp/read.err &
reader=$!
vb_wait 5 held || vb_fail "the read request never reached the gadget"
in_rdwr "$reader" && vb_result unbind_reader_in_ioctl yes || vb_result unbind_reader_in_ioctl no
before=$(dmesg | wc -l)
t_unplug=$(vb_uptime)
unplug
vb_wait 10 reader_gone || { vb_fail "i2ctransfer still running 10 s after unplug"; exit 1; }
t_fail=$(vb_uptime)
wait "$reader"
vb_result unbind_read_rc "$?"
vb_result unbind_error "$(cat /tmp/read.err)"
gadget_ctl hold-out 0
vb_result unbind_error_after_ms "$(awk -v a="$t_unplug" -v b="$t_fail" 'BEGIN { printf "%d", (b - a) * 1000 }')"
vb_wait 10 no_adapter && vb_result i2c_after_unplug gone || vb_result i2c_after_unplug present
vb_wait 10 no_chip && vb_result gpio_after_unplug gone || vb_result gpio_after_unplug present
[ -e "/dev/i2c-$BUS" ] && vb_result devnode_after_unplug present || vb_result devnode_after_unplug gone
dmesg | tail -n +"$((before + 1))" | sed 's/^/VBENCH-UNPLUG-DMESG /'

# --- Replug: the driver probes again and the EEPROM kept its contents
# (the model is the hardware; only the USB link went away).
plug
wait_probed || exit 1
vb_wait 5 read_page
vb_result eeprom_after_replug "$(cat /tmp/page)"

gadget_stop
bad=$(dmesg | grep -cE 'Oops|BUG:|WARNING:|general protection|Call Trace|cut here')
vb_result kernel_errors "$bad"
[ "$bad" = 0 ] || dmesg | grep -E -A20 'Oops|BUG:|WARNING:|cut here' | sed 's/^/VBENCH-KERNEL-ERROR /'
# What the kernel said about the device, and the requests it made of the
# model, for the record.
dmesg | grep -E 'cp2112|hid|usb 1-1' | sed 's/^/DMESG| /'
grep -E 'SETUP|event|enabled|refused|STALL|held|released|control' /tmp/gadget.log | sed 's/^/GADGET| /'
exit 0
