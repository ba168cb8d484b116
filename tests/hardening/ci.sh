#!/bin/sh
# make ci-hardening: test-asan, test-valgrind, analyze, coverage and stack in sequence, each
# counted as one test whatever its own count, with its time. Every step runs even after a
# failure. Ends with one "N passed, N failed" line; exit 0 iff all passed.
set -u
cd "$(dirname "$0")/../.." || exit 1
MAKE=${MAKE:-make}
p=0
f=0
summary=""
start=$(date +%s)
for t in test-asan test-valgrind analyze coverage stack; do
    t0=$(date +%s)
    echo "######## make $t"
    if $MAKE --no-print-directory "$t"; then
        p=$((p + 1)); r="ok  "
    else
        f=$((f + 1)); r="FAIL"
    fi
    line="$r make $t ($(( $(date +%s) - t0 )) s)"
    echo "$line"
    summary="$summary
$line"
done
echo "######## ci-hardening ($(( $(date +%s) - start )) s)$summary"
echo "$p passed, $f failed"
[ "$f" -eq 0 ]
