#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs the built tree into a fresh prefix and builds the examples
# against it twice, as applications do: with find_package(usbio) and with
# pkg-config usbio. Then runs each on the simulated adapter.
#   consume.sh BUILD_DIR SOURCE_DIR WORK_DIR
set -euo pipefail
build=$1 src=$2 work=$3
rm -rf "$work"
prefix=$work/prefix
cmake --install "$build" --prefix "$prefix" >/dev/null

# Only the application API is installed.
if [ -e "$prefix/include/usbio/driver" ]; then echo "FAIL: driver API installed"; exit 1; fi
test -f "$prefix/include/usbio/version.hpp" || { echo "FAIL: no usbio/version.hpp"; exit 1; }
# The command's documentation ships with it.
if [ -e "$prefix/bin/usbio" ]; then
    test -f "$prefix/share/man/man1/usbio.1" || { echo "FAIL: no share/man/man1/usbio.1"; exit 1; }
    test -f "$prefix/share/bash-completion/completions/usbio" || { echo "FAIL: no bash completion"; exit 1; }
fi
soname=$(objdump -p "$prefix/lib/libusbio.so" | awk '/SONAME/ {print $2}')
echo "installed: $soname, $(ls "$prefix/lib" | tr '\n' ' ')"
[ "$soname" = "libusbio.so.0" ] || { echo "FAIL: SONAME is '$soname'"; exit 1; }

run_all() {  # dir: the examples built there run on the simulated adapter
    local dir=$1
    (cd "$work" && "$dir/read_lm75" && "$dir/copy_eeprom" --sim "$work/eeprom.bin" &&
        "$dir/blink_line" && "$dir/wait_for_removal")
    test "$(stat -c %s "$work/eeprom.bin")" = 4096 || { echo "FAIL: EEPROM copy is not 4096 bytes"; exit 1; }
}

echo "--- find_package(usbio)"
cmake -S "$src/examples" -B "$work/with-cmake" -DCMAKE_PREFIX_PATH="$prefix" \
      -DCMAKE_CXX_FLAGS="-Wall -Wextra -Wpedantic -Werror" >/dev/null
cmake --build "$work/with-cmake" -j2 >/dev/null
run_all "$work/with-cmake"

echo "--- pkg-config usbio"
export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
mkdir -p "$work/with-pkgconfig"
for ex in read_lm75 copy_eeprom blink_line wait_for_removal; do
    # shellcheck disable=SC2046
    g++ -std=c++20 -Wall -Wextra -Wpedantic -Werror "$src/examples/$ex.cpp" -o "$work/with-pkgconfig/$ex" \
        $(pkg-config --cflags --libs usbio) -Wl,-rpath,"$prefix/lib"
done
run_all "$work/with-pkgconfig"

echo "--- the README's library example"
awk '/^## The library/ {on = 1} on && /^```cpp/ {grab = 1; next} grab && /^```/ {exit} grab' "$src/README.md" \
    > "$work/readme_example.cpp"
test -s "$work/readme_example.cpp" || { echo "FAIL: no cpp block under '## The library' in README.md"; exit 1; }
# shellcheck disable=SC2046
g++ -std=c++20 -Wall -Wextra -Wpedantic -Werror "$work/readme_example.cpp" -o "$work/readme_example" \
    $(pkg-config --cflags --libs usbio) -Wl,-rpath,"$prefix/lib"
"$work/readme_example"
echo "install-and-consume: OK"
