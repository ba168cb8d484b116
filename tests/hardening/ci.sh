#!/bin/sh
# make ci-hardening: test-asan, test-valgrind, analyze, coverage and stack in sequence, their
# "N passed, N failed" lines summed (tests/count.sh), each with its time. Every step runs even
# after a failure. Ends with one "N passed, N failed" line; exit 0 iff all passed.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/count.sh
MAKE=${MAKE:-make}
start=$(date +%s)
for t in test-asan test-valgrind analyze coverage stack; do
    # shellcheck disable=SC2086 # MAKE may carry options
    hard_run "make $t" $MAKE --no-print-directory "$t"
done
echo "== ci-hardening ($(( $(date +%s) - start )) s)"
hard_total
