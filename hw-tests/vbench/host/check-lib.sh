# SPDX-License-Identifier: Apache-2.0
# Shared by the check-*.sh judges of guest console logs. Source it after
# setting LOG (the console log):  . "$(dirname "$0")/check-lib.sh"
# It gives the log without carriage returns in $C, its VBENCH-RESULT
# values, and the tally of failed checks that check_verdict turns into the
# exit status.
failures=0
C=$(mktemp)
trap 'rm -f "$C"' EXIT
tr -d '\r' < "$LOG" > "$C"

# The value of a VBENCH-RESULT key (the last one, if repeated).
result() { sed -n "s/^VBENCH-RESULT $1=//p" "$C" | tail -1; }
ok() { echo "  ok   $*"; }
bad() { echo "  FAIL $*"; failures=$((failures + 1)); }
expect() { # KEY EXPECTED
    got=$(result "$1")
    if [ "$got" = "$2" ]; then ok "$1 = $got"; else bad "$1 = '$got', expected '$2'"; fi
}
expect_match() { # KEY REGEX
    got=$(result "$1")
    if echo "$got" | grep -Eq "$2"; then ok "$1 = $got"; else bad "$1 = '$got', expected to match /$2/"; fi
}

# The guest's own verdict: its script finished with rc=0 and reported no
# VBENCH-FAIL lines (printed when there are).
check_guest_finished() {
    echo "vbench: checking $LOG"
    grep -q '^VBENCH-DONE rc=0' "$C" || bad "the scenario did not finish with rc=0"
    if grep -q '^VBENCH-FAIL' "$C"; then
        grep '^VBENCH-FAIL' "$C" | sed 's/^/  /'
        bad "the guest reported failures"
    fi
}

# GoogleTest's summary in the log: every test that ran passed, or skipped
# when its name matches SKIP_OK (an extended regex), the tests a bench
# cannot run by design. LABEL names the program and what its tests are.
check_gtest_all_passed() { # LABEL [SKIP_OK]
    ran=$(sed -n 's/^\[==========\] Running \([0-9]*\) tests\{0,1\} from.*/\1/p' "$C" | tail -1)
    passed=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) tests\{0,1\}\./\1/p' "$C" | tail -1)
    skip_ok=0
    [ -n "${2:-}" ] && skip_ok=$(grep -E '^\[  SKIPPED \] [A-Za-z0-9_]+\.[A-Za-z0-9_]+ \(' "$C" | grep -cE "$2")
    if [ -n "$ran" ] && [ "$ran" -gt 0 ] && [ -n "$passed" ] && [ "$((passed + skip_ok))" = "$ran" ]; then
        if [ "$skip_ok" = 0 ]; then ok "$1: all $ran passed"; else ok "$1: $passed of $ran passed, $skip_ok skipped by design"; fi
    else
        bad "$1: '$passed' of '$ran' passed: $(grep -E '^\[  (FAILED|SKIPPED) *\]' "$C" | tr '\n' ' ')"
    fi
}

# The last line, and the exit status: 0 when no check failed.
check_verdict() { # NAME
    echo "vbench: $1: $failures failed check(s)"
    [ "$failures" = 0 ]
}
