#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The installed include root usbio/ is the application API and nothing
# else. Every public header must compile on its own in C++20 with warnings
# as errors, and may include only other public headers and the standard
# library.
#   check_public_headers.sh CXX SOURCE_DIR BUILD_DIR
set -uo pipefail
cxx=$1 src=$2 build=$3
pub=$src/core/include/usbio
gen=$build/include/usbio
fail=0
headers=("$pub"/*.hpp "$gen"/version.hpp)
public_names=" $(for h in "${headers[@]}"; do printf 'usbio/%s ' "$(basename "$h")"; done)"
for h in "${headers[@]}"; do
    name=usbio/$(basename "$h")
    if ! out=$(echo "#include \"$name\"" | "$cxx" -std=c++20 -Wall -Wextra -Wpedantic -Werror -fsyntax-only \
                  -I "$src/core/include" -I "$build/include" -x c++ - 2>&1); then
        echo "FAIL: $name does not compile on its own:"; echo "$out" | head -20; fail=1
    fi
    while read -r inc; do
        case $inc in
            \"*) n=${inc//\"/}
                 [[ $public_names == *" $n "* ]] || { echo "FAIL: $name includes non-public \"$n\""; fail=1; } ;;
            \<*) n=${inc#<}; n=${n%>}
                 # Standard library headers have no dot and no slash.
                 [[ $n == */* || $n == *.* ]] && { echo "FAIL: $name includes <$n>, not the standard library"; fail=1; } ;;
        esac
    done < <(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*\([<"][^>"]*[>"]\).*/\1/p' "$h")
done
echo "checked ${#headers[@]} public headers"
exit $fail
