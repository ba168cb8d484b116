#!/usr/bin/env bash
# tests/mbedtls/run_matrix.sh - run_tests.sh over several mbedTLS versions and
# configurations, then one closing line "N passed, N failed" (the sum).
#
#   tests/mbedtls/run_matrix.sh            2.28.3 test, 3.6.6 test, 3.6.6 test13
#   tests/mbedtls/run_matrix.sh all        ... and 2.28.3 ges, 3.6.6 ges
#   tests/mbedtls/run_matrix.sh "3.6.6 ges" "2.28.3 test"    (any list)
#
# About 2.5 minutes for the default set on 2 cores once the sources are
# downloaded and mbedTLS is built (builds are cached under build/), about
# 3 minutes for "all".
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
if [ $# -eq 0 ]; then
    set -- "2.28.3 test" "3.6.6 test" "3.6.6 test13"
elif [ "$1" = all ]; then
    set -- "2.28.3 test" "3.6.6 test" "3.6.6 test13" "2.28.3 ges" "3.6.6 ges"
fi
log=$(mktemp)
trap 'rm -f "$log"' EXIT
total_p=0
total_f=0
summary=""
t0=$(date +%s)
for combo in "$@"; do
    # shellcheck disable=SC2086
    "$HERE/run_tests.sh" $combo 2>&1 | tee "$log"
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
    if [ -z "$line" ]; then
        p=0
        f=1
    else
        p=$(echo "$line" | sed -E 's/^([0-9]+) passed.*/\1/')
        f=$(echo "$line" | sed -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/')
    fi
    total_p=$((total_p + p))
    total_f=$((total_f + f))
    summary="$summary
  mbedTLS $combo: $p passed, $f failed"
done
echo "== mbedTLS matrix ($(($(date +%s) - t0)) s):$summary"
echo "$total_p passed, $total_f failed"
[ "$total_f" -eq 0 ]
