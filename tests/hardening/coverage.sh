#!/bin/sh
# make coverage: the whole suite (tests/run_all.sh) on the gcc --coverage build in B (default
# build-cov), then gcovr's line and branch coverage of ges_job.c alone (the unit tests that
# #include ges_job.c and the library object used by the CLI and test_client all count),
# checked against tests/hardening/coverage-floor.txt. The branches of GES_ASSERT lines are
# not counted: an assertion's failing side is a bug by definition (test_http's
# test_asserts_are_live takes one per state machine, in forked children that abort and so
# never write their counts); the lines themselves count. Nor are the branches of a line
# marked GCOVR_EXCL_BR_LINE (or between GCOVR_EXCL_BR_START and _STOP): each has a comment
# there saying why its untaken side cannot be taken in this build (listed in
# tests/README.md); how many branches that leaves out is printed (a second gcovr pass that
# ignores the markers), so the figure stays honest.
# Ends with one "N passed, N failed" line: the suites' counts plus the floor check.
set -u
B=${1:-build-cov}
cd "$(dirname "$0")/../.." || exit 1
PY=${PYTHON:-python3}
. tests/count.sh
trap 'hard_cleanup' EXIT

# Slower instrumented binaries: no tight upper time bounds, no peak-RSS limits.
hard_run "all suites, gcov build ($B)" env GES_TEST_INSTRUMENTED=1 sh tests/run_all.sh "$B"

echo "== coverage of ges_job.c"
gcovr --root . --filter '^ges_job\.c$' --gcov-ignore-parse-errors \
    --exclude-branches-by-pattern '.*\bGES_ASSERT\(' \
    --txt "$B/coverage.txt" --json-summary "$B/coverage-summary.json" \
    --print-summary "$B" >"$B/gcovr.log" 2>&1
rc=$?
cat "$B/gcovr.log"
# The same without the GCOVR_EXCL_BR_* markers (a prefix no comment uses), for the count.
gcovr --root . --filter '^ges_job\.c$' --gcov-ignore-parse-errors \
    --exclude-branches-by-pattern '.*\bGES_ASSERT\(' --exclude-pattern-prefix GES_NO_MARKER \
    --json-summary "$B/coverage-summary-unmarked.json" "$B" >"$B/gcovr-unmarked.log" 2>&1 &&
    "$PY" - "$B/coverage-summary.json" "$B/coverage-summary-unmarked.json" <<'EOF_PY'
import json, sys
m, u = (json.load(open(f)) for f in sys.argv[1:3])
n = u["branch_total"] - m["branch_total"]
t = u["branch_covered"] - m["branch_covered"]
src = open("ges_job.c").read()
marks = src.count("GCOVR_EXCL_BR_LINE") + src.count("GCOVR_EXCL_BR_START")
print("excluded as unreachable (GCOVR_EXCL_BR_*): %d branches at %d markers, %d of them taken;"
      " unmarked: %d of %d taken (%.2f%%)" % (n, marks, t, u["branch_covered"], u["branch_total"],
                                            100.0 * u["branch_covered"] / max(u["branch_total"], 1)))
EOF_PY
if [ "$rc" -ne 0 ]; then
    hard_check "gcovr ran (exit $rc)" 1
else
    "$PY" tests/hardening/coverage_floor.py "$B/coverage-summary.json" \
        tests/hardening/coverage-floor.txt
    hard_check "coverage of ges_job.c at or above the floor" $?
    echo "(uncovered lines: $B/coverage.txt)"
fi
hard_total
