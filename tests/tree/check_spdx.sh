#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Every source, script and build file carries the project's license
# identifier in its first lines.
#   check_spdx.sh SOURCE_DIR
set -uo pipefail
cd "$1" || exit 1
missing=0
while IFS= read -r f; do
    head -n 3 "$f" | grep -q 'SPDX-License-Identifier: Apache-2.0' || { echo "no SPDX line: $f"; missing=$((missing + 1)); }
done < <(git ls-files 2>/dev/null | grep -E '\.(cpp|hpp|h|c|sh|cmake|in|rules)$|(^|/)CMakeLists\.txt$|^\.ci/run$|guest/init$' |
         grep -v '^fuzz/corpus/')
[ "$missing" -eq 0 ] && echo "every source file has its SPDX line"
exit $((missing > 0))
