# shellcheck shell=sh
# The one pass/fail aggregator, sourced by tests/run_all.sh, .ci/run, tests/hardening/*,
# tests/embedded/ci.sh, tests/fuzz/ci.sh and tests/mbedtls/run_tests.sh: run a step, read
# its "N passed, N failed" line, keep the totals. A step that prints no such line counts
# as one failure, and a non-zero exit with "0 failed" counts as one failure.
#   hard_run NAME COMMAND...   run one step (its output is shown, then its time)
#   hard_check NAME OK         count a check of the script itself (OK: 0 = passed)
#   hard_total                 print the closing "N passed, N failed"; returns 0 iff none failed
hard_p=0
hard_f=0
hard_log=$(mktemp "${TMPDIR:-/tmp}/ges_hard_log.XXXXXX")
hard_cleanup() { rm -f "$hard_log"; }

hard_run() {
    hard_name=$1; shift
    echo "== $hard_name"
    hard_t0=$(date +%s)
    "$@" >"$hard_log" 2>&1
    hard_rc=$?
    cat "$hard_log"
    echo "($hard_name: $(( $(date +%s) - hard_t0 )) s)"
    hard_line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$hard_log" | tail -n 1)
    if [ -z "$hard_line" ]; then
        echo "$hard_name: no result line (exit $hard_rc)"
        hard_f=$((hard_f + 1))
        return
    fi
    p=$(echo "$hard_line" | sed -E 's/^([0-9]+) passed.*/\1/')
    f=$(echo "$hard_line" | sed -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/')
    if [ "$hard_rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
    hard_p=$((hard_p + p))
    hard_f=$((hard_f + f))
}

hard_check() {
    if [ "$2" -eq 0 ]; then
        echo "ok   $1"
        hard_p=$((hard_p + 1))
    else
        echo "FAIL $1"
        hard_f=$((hard_f + 1))
    fi
}

hard_total() {
    hard_cleanup
    echo "$hard_p passed, $hard_f failed"
    [ "$hard_f" -eq 0 ]
}
