#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The C++ sources follow .clang-format. Exit 77 (skipped) without
# clang-format-14, whose output the tree was formatted with.
#   check_format.sh SOURCE_DIR
set -uo pipefail
cd "$1" || exit 1
command -v clang-format-14 >/dev/null || { echo "clang-format-14 not installed"; exit 77; }
mapfile -t files < <(git ls-files '*.cpp' '*.hpp' '*.h' '*.c' | grep -v '^fuzz/corpus/')
if out=$(clang-format-14 --dry-run -Werror "${files[@]}" 2>&1); then
    echo "${#files[@]} C++ sources follow .clang-format"
    exit 0
fi
echo "$out" | head -40
echo "format them with: clang-format-14 -i <files>"
exit 1
