# SPDX-License-Identifier: Apache-2.0
# Helpers for the bench's guest scenarios (sourced by /bin/sh, busybox ash).
# Output conventions, which the host parses from the console:
#   VBENCH: text            progress, for people
#   VBENCH-RESULT key=value  a measurement the host checks
#   VBENCH-FAIL text         something the scenario itself found wrong
#   VBENCH-DONE rc=N         the scenario ended (the VM powers off next)
# Every wait here is bounded; a scenario never waits on something forever.

# Debian's busybox shell runs its own applets before anything in PATH, and
# it has i2c applets of its own. The scenarios mean i2c-tools and libgpiod,
# the tools people use, so these names call those programs by path.
for tool in i2ctransfer i2cget i2cset i2cdetect gpiodetect gpioinfo gpioget gpioset; do
    eval "$tool() { /usr/local/bin/$tool \"\$@\"; }"
done

GADGET_NAME=usbio
GADGET_DIR=/sys/kernel/config/usb_gadget/$GADGET_NAME
GADGET_PID=

vb_log() { echo "VBENCH: $*"; }
vb_result() { echo "VBENCH-RESULT $1=$2"; }
vb_fail() { echo "VBENCH-FAIL $*"; }
vb_uptime() { cut -d' ' -f1 /proc/uptime; }
# The value of NAME=value on the kernel command line.
vb_cmdline() { tr ' ' '\n' < /proc/cmdline | sed -n "s/^$1=//p" | tail -1; }

# Runs "$@" until it succeeds, every 50 ms, for at most SECONDS ($1).
# Returns its last status; TRIES holds how many runs it took.
vb_wait() {
    limit=$1
    shift
    TRIES=0
    end=$(( $(cut -d. -f1 /proc/uptime) + limit ))
    while :; do
        TRIES=$((TRIES + 1))
        "$@" && return 0
        [ "$(cut -d. -f1 /proc/uptime)" -lt "$end" ] || return 1
        sleep 0.05
    done
}

vb_load_modules() {
    for m in "$@"; do
        modprobe "$m" || { vb_fail "modprobe $m"; return 1; }
    done
}

# Starts usbio_ffs_gadget (extra arguments are passed on) and waits until it
# has written its descriptors, i.e. the gadget can be bound.
gadget_start() {
    : > /tmp/gadget.out
    usbio_ffs_gadget --name "$GADGET_NAME" "$@" > /tmp/gadget.out 2> /tmp/gadget.log &
    GADGET_PID=$!
    if ! vb_wait 10 grep -q 'USBIO-GADGET READY' /tmp/gadget.out; then
        vb_fail "gadget did not become ready"
        return 1
    fi
}

# A command for the running gadget (see gadget/commands.hpp); the gadget
# keeps the FIFO open, so this never blocks while the gadget runs.
gadget_ctl() { [ -p /tmp/gadget.ctl ] && echo "$*" > /tmp/gadget.ctl; }

# Stops the gadget (it unbinds and removes its configfs tree on the way out).
gadget_stop() {
    [ -n "$GADGET_PID" ] || return 0
    kill -TERM "$GADGET_PID" 2>/dev/null
    if ! vb_wait 5 sh -c "! kill -0 $GADGET_PID 2>/dev/null"; then
        vb_fail "gadget did not exit on SIGTERM"
        kill -KILL "$GADGET_PID" 2>/dev/null
    fi
    wait "$GADGET_PID"
    vb_result gadget_exit "$?"
    GADGET_PID=
}

# Plug = bind the gadget to the UDC; unplug = unbind it. The host side sees
# a device arrive or leave, as with a cable.
vb_udc() { ls /sys/class/udc | head -1; }
plug() { echo "$(vb_udc)" > "$GADGET_DIR/UDC"; }
unplug() { echo "" > "$GADGET_DIR/UDC"; }

vb_dump_logs() {
    echo "----- gadget log -----"
    sed 's/^/GADGET| /' /tmp/gadget.log 2>/dev/null
    echo "----- kernel log -----"
    dmesg | sed 's/^/DMESG| /'
}
